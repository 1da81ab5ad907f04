package io.edgegate.dataplane.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.spec.server.HostSpec;
import io.edgegate.spec.server.PathSpec;
import io.edgegate.spec.server.RuleSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static PathSpec prefix(String prefix, String backend, String... methods) {
        return new PathSpec(Optional.empty(), Optional.of(prefix), Optional.empty(), List.of(methods), backend);
    }

    private static PathSpec exact(String path, String backend) {
        return new PathSpec(Optional.of(path), Optional.empty(), Optional.empty(), List.of(), backend);
    }

    private static PathSpec regexp(String regexp, String backend) {
        return new PathSpec(Optional.empty(), Optional.empty(), Optional.of(regexp), List.of(), backend);
    }

    private static RuleSpec anyHost(PathSpec... paths) {
        return new RuleSpec(Optional.empty(), Optional.empty(), List.of(), List.of(paths));
    }

    private static RuleSpec host(String host, PathSpec... paths) {
        return new RuleSpec(Optional.of(host), Optional.empty(), List.of(), List.of(paths));
    }

    private static String backend(RouteMatch match) {
        return match.outcome() == RouteMatch.Outcome.MATCHED ? match.backend() : match.outcome().name();
    }

    @Test
    void firstMatchingPathWinsInRuleOrder() {
        RouteTable table = RouteTable.of(List.of(
                anyHost(exact("/api/v1", "exact"), prefix("/api", "prefix")),
                anyHost(prefix("/", "fallback"))));

        assertThat(backend(table.route("h", "/api/v1", "GET"))).isEqualTo("exact");
        assertThat(backend(table.route("h", "/api/v2", "GET"))).isEqualTo("prefix");
        assertThat(backend(table.route("h", "/other", "GET"))).isEqualTo("fallback");
    }

    @Test
    void regexpMatchesTheWholePath() {
        RouteTable table = RouteTable.of(List.of(anyHost(regexp("/users/[0-9]+", "users"))));

        assertThat(backend(table.route("h", "/users/42", "GET"))).isEqualTo("users");
        assertThat(backend(table.route("h", "/users/42/x", "GET"))).isEqualTo("NOT_FOUND");
    }

    @Test
    void methodOnlyMismatchIs405AndOtherwise404() {
        RouteTable table = RouteTable.of(List.of(anyHost(prefix("/write", "w", "POST", "PUT"))));

        assertThat(backend(table.route("h", "/write", "POST"))).isEqualTo("w");
        assertThat(backend(table.route("h", "/write", "GET"))).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(backend(table.route("h", "/read", "GET"))).isEqualTo("NOT_FOUND");
    }

    @Test
    void aLaterPathThatTakesTheMethodStillWins() {
        RouteTable table = RouteTable.of(List.of(anyHost(prefix("/x", "posts", "POST"), prefix("/x", "any"))));

        assertThat(backend(table.route("h", "/x", "GET"))).isEqualTo("any");
    }

    @Test
    void hostsExactWildcardAndRegexp() {
        RouteTable table = RouteTable.of(List.of(
                host("api.example.com", prefix("/", "api")),
                host("*.example.com", prefix("/", "wildcard")),
                host("www.example.*", prefix("/", "prefix-wildcard")),
                new RuleSpec(Optional.empty(), Optional.empty(), List.of(new HostSpec("^img[0-9]\\.cdn\\.net$", true)),
                        List.of(prefix("/", "regexp")))));

        assertThat(backend(table.route("api.example.com", "/", "GET"))).isEqualTo("api");
        assertThat(backend(table.route("shop.example.com", "/", "GET"))).isEqualTo("wildcard");
        assertThat(backend(table.route("example.com", "/", "GET"))).isEqualTo("NOT_FOUND");
        assertThat(backend(table.route("www.example.org", "/", "GET"))).isEqualTo("prefix-wildcard");
        assertThat(backend(table.route("img3.cdn.net", "/", "GET"))).isEqualTo("regexp");
        assertThat(backend(table.route("other.net", "/", "GET"))).isEqualTo("NOT_FOUND");
    }

    @Test
    void routingAllocatesNoNewMatches() {
        RouteTable table = RouteTable.of(List.of(anyHost(prefix("/", "p"))));
        assertThat(table.route("h", "/a", "GET")).isSameAs(table.route("h", "/b", "GET"));
    }
}
