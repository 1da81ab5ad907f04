package io.edgegate.dataplane.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SourceDocument;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.edgegate.spec.server.HttpServerSpec;
import io.edgegate.spec.server.RuleSpec;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A table built from the previous version of its server must route every request as one built from scratch. */
class RouteTableUpdateTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.10", 50000);
    private static final List<String> HOSTS = List.of("a.example", "b.example", "c1.example", "z.example", "other.example");
    private static final List<String> PATHS = List.of("/", "/one", "/two/x", "/three/7", "/shared", "/only-any", "/users/42", "/new");

    private static final String RULES = """
            rules:
            - paths:
              - path: /shared
                backend: any-first
            - host: a.example
              paths:
              - path: /one
                backend: a-one
              - pathPrefix: /two/
                backend: a-two
              - path: /shared
                backend: a-shared
            - hosts:
              - value: b.example
              - value: '^c[0-9]+\\.example$'
                isRegexp: true
              paths:
              - pathRegexp: ^/three/[0-9]+$
                backend: bc-three
            - host: b.example
              paths:
              - path: /one
                methods: [POST]
                backend: b-post
            - paths:
              - path: /only-any
                backend: any-last
              - pathPrefix: /
                backend: fallback
            """;

    @Test
    void aChangedPathOfAnExactHostsRule() {
        assertUpdatesLikeAFreshTable(RULES, RULES.replace("backend: a-two", "backend: a-two-changed"));
    }

    @Test
    void aChangedPathOfARuleForAnyHost() {
        assertUpdatesLikeAFreshTable(RULES, RULES.replace("path: /only-any", "path: /new"));
    }

    @Test
    void aRuleMovedToAnotherHostLeavesTheFirst() {
        assertUpdatesLikeAFreshTable(RULES, RULES.replace("- host: a.example", "- host: z.example"));
    }

    @Test
    void aRuleThatStopsServingAnyHostAndStartsServingOne() {
        assertUpdatesLikeAFreshTable(RULES, RULES.replaceFirst("- paths:\n  - path: /shared", "- host: other.example\n  paths:\n  - path: /shared"));
    }

    @Test
    void rulesAddedAndRemoved() {
        String newRule = "- host: a.example\n  paths:\n  - path: /new\n    backend: a-new\n";
        String noFallback = RULES.replace("  - pathPrefix: /\n    backend: fallback\n", "");
        assertUpdatesLikeAFreshTable(noFallback, noFallback + newRule);
        assertUpdatesLikeAFreshTable(noFallback + newRule, noFallback);
        assertUpdatesLikeAFreshTable(RULES, "rules:\n" + newRule + RULES.substring("rules:\n".length()));
        String firstRemoved = RULES.replaceFirst("- paths:\n  - path: /shared\n    backend: any-first\n", "");
        assertUpdatesLikeAFreshTable(RULES, firstRemoved);
    }

    @Test
    void aChangedRouterKind() {
        String radix = """
                rules:
                - host: a.example
                  paths:
                  - path: /users/{id}
                    backend: a-user
                - paths:
                  - path: /*
                    backend: fallback
                """;
        assertUpdatesLikeAFreshTable("routerKind: Ordered\n" + radix.replace("/users/{id}", "/users/42"), "routerKind: RadixTree\n" + radix);
    }

    @Test
    void rulesUnchangedAtTheirPlaceAreReusedAndStillRouteAfterAnEditElsewhere() {
        HttpServerSpec before = server(RULES);
        HttpServerSpec edited = server(RULES.replace("backend: fallback", "backend: fallback-2"));
        // As a node's redecoding hands them over: the unchanged rules are the running spec's own objects.
        List<RuleSpec> rules = new ArrayList<>(before.rules());
        rules.set(4, edited.rules().get(4));
        HttpServerSpec next = before.withRules(rules);

        RouteTable updated = RouteTable.of(next, RouteTable.of(before));

        assertThat(route(updated, "a.example", "/one")).isEqualTo("a-one");
        assertThat(route(updated, "a.example", "/shared")).isEqualTo("any-first");
        assertThat(route(updated, "a.example", "/nothing")).isEqualTo("fallback-2");
        assertRoutesAlike(updated, RouteTable.of(next));
    }

    private static void assertUpdatesLikeAFreshTable(String rulesBefore, String rulesAfter) {
        HttpServerSpec before = server(rulesBefore);
        HttpServerSpec after = sharingUnchangedRules(before, server(rulesAfter));
        RouteTable updated = RouteTable.of(after, RouteTable.of(before));
        assertRoutesAlike(updated, RouteTable.of(after));
        // Not vacuous: the change is visible to some request.
        assertThat(outcomes(RouteTable.of(before))).isNotEqualTo(outcomes(updated));
    }

    /** {@code after} holding {@code before}'s own rule objects where a rule is the same at the same place, as a node's decoding hands them over. */
    private static HttpServerSpec sharingUnchangedRules(HttpServerSpec before, HttpServerSpec after) {
        List<RuleSpec> rules = new ArrayList<>(after.rules());
        for (int i = 0; i < Math.min(rules.size(), before.rules().size()); i++) {
            if (rules.get(i).toString().equals(before.rules().get(i).toString())) {
                rules.set(i, before.rules().get(i));
            }
        }
        return after.withRules(rules);
    }

    private static void assertRoutesAlike(RouteTable updated, RouteTable fresh) {
        assertThat(outcomes(updated)).isEqualTo(outcomes(fresh));
    }

    private static List<String> outcomes(RouteTable table) {
        List<String> outcomes = new ArrayList<>();
        for (String host : HOSTS) {
            for (String path : PATHS) {
                for (String method : List.of("GET", "POST")) {
                    outcomes.add(method + " " + host + path + " -> " + route(table, method, host, path));
                }
            }
        }
        return outcomes;
    }

    private static String route(RouteTable table, String host, String path) {
        return route(table, "GET", host, path);
    }

    private static String route(RouteTable table, String method, String host, String path) {
        var request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), path);
        request.headers().set("Host", host);
        RouteMatch match = table.route(request, PEER);
        return match.outcome() == RouteMatch.Outcome.MATCHED ? match.backend() : match.outcome().name();
    }

    private static HttpServerSpec server(String rules) {
        String yaml = "kind: HTTPServer\nname: s\nport: 8080\n" + rules;
        try {
            var document = new DocumentParser().parse(new SourceDocument("test", 0, 1, yaml));
            return (HttpServerSpec) new ObjectDecoder(FilterSpecKinds.builtIn()).decode(document, ValidationMode.STRICT).spec();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
