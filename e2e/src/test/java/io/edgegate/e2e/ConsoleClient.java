package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What the cluster console shows, read over its HTTP API after logging in with a new viewer token. */
final class ConsoleClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final String cookie;

    private ConsoleClient(String base, String cookie) {
        this.base = base;
        this.cookie = cookie;
    }

    static ConsoleClient loggedIn(Cluster cluster, String viewerName) throws Exception {
        EgctlRun created = EgctlRun.inProcess(cluster.egctl(), "token", "create", "--role", "viewer", "--name", viewerName);
        assertThat(created.exit()).as(created.toString()).isZero();
        return loggedIn(cluster.controlPlaneAdmin(0), created.out().strip());
    }

    /** The console at {@code admin} (host:port of a control plane's admin listener), logged in with {@code token}. */
    static ConsoleClient loggedIn(String admin, String token) throws Exception {
        String base = "http://" + admin + "/ui/api/";
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return new ConsoleClient(base, setCookie.substring(0, setCookie.indexOf(';')));
    }

    /** The node's row as the console draws it: its member record, state as READY, BEHIND, REJECTED or DISCONNECTED. */
    JsonNode node(String nodeId) throws Exception {
        for (JsonNode member : cluster().path("members")) {
            if (member.path("nodeId").asText().equals(nodeId)) {
                return member;
            }
        }
        throw new AssertionError(nodeId + " is not in the console's view");
    }

    /** The cluster as the console draws it: its revision, members, and whether (and why) it may be stale. */
    JsonNode cluster() throws Exception {
        HttpResponse<String> view = http.send(HttpRequest.newBuilder(URI.create(base + "cluster")).header("Cookie", cookie)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(view.statusCode()).as(view.body()).isEqualTo(200);
        return json.readTree(view.body()).path("cluster");
    }
}
