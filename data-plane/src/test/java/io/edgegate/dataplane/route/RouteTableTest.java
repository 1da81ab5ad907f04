package io.edgegate.dataplane.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SourceDocument;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.edgegate.spec.server.HttpServerSpec;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final java.net.InetSocketAddress PEER = new java.net.InetSocketAddress("192.0.2.10", 50000);

    private static RouteTable table(String rules) {
        return table("", rules);
    }

    private static RouteTable table(String serverFields, String rules) {
        String yaml = "kind: HTTPServer\nname: s\nport: 8080\n" + serverFields + "rules:\n" + rules;
        try {
            var document = new DocumentParser().parse(new SourceDocument("test", 0, 1, yaml));
            var decoded = new ObjectDecoder(FilterSpecKinds.builtIn()).decode(document, ValidationMode.STRICT);
            return RouteTable.of((HttpServerSpec) decoded.spec());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static HttpRequest request(String method, String host, String uri, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
        request.headers().set("Host", host);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    /** The pipeline chosen, or the outcome's name when nothing matched. */
    private static String route(RouteTable table, String host, String uri, String... headers) {
        return routeMethod(table, "GET", host, uri, headers);
    }

    private static String routeMethod(RouteTable table, String method, String host, String uri, String... headers) {
        RouteMatch match = table.route(request(method, host, uri, headers), PEER);
        return match.outcome() == RouteMatch.Outcome.MATCHED ? match.backend() : match.outcome().name();
    }

    private static String rewritten(RouteTable table, String uri) {
        RouteMatch match = table.route(request("GET", "h", uri), PEER);
        return match.rewrite(RequestTarget.path(uri));
    }

    @Test
    void firstMatchingPathWinsInRuleOrder() {
        RouteTable table = table("""
                - paths:
                  - {path: /api/v1, backend: exact}
                  - {pathPrefix: /api, backend: prefix}
                - paths:
                  - {pathPrefix: /, backend: fallback}
                """);

        assertThat(route(table, "h", "/api/v1")).isEqualTo("exact");
        assertThat(route(table, "h", "/api/v1?x=1")).isEqualTo("exact");
        assertThat(route(table, "h", "/api/v2")).isEqualTo("prefix");
        assertThat(route(table, "h", "/other")).isEqualTo("fallback");
    }

    @Test
    void anEarlierPrefixBeatsALaterExactPath() {
        RouteTable table = table("""
                - paths:
                  - {pathPrefix: /a, backend: prefix}
                  - {path: /a/b, backend: exact}
                  - {pathRegexp: '^/a', backend: regexp}
                """);

        assertThat(route(table, "h", "/a/b")).isEqualTo("prefix");
    }

    @Test
    void aLongerPrefixOnlyWinsWhenItComesFirst() {
        RouteTable table = table("""
                - paths:
                  - {pathPrefix: /static/img, backend: images}
                  - {pathPrefix: /static, backend: static}
                  - {pathPrefix: /static/css, backend: unreachable}
                """);

        assertThat(route(table, "h", "/static/img/x.png")).isEqualTo("images");
        assertThat(route(table, "h", "/static/css/site.css")).isEqualTo("static");
    }

    @Test
    void regexpSearchesThePathLikeEasegressUnlessAnchored() {
        RouteTable table = table("""
                - paths:
                  - {pathRegexp: '^/users/[0-9]+$', backend: user}
                  - {pathRegexp: '/orders/[0-9]+', backend: orders}
                """);

        assertThat(route(table, "h", "/users/42")).isEqualTo("user");
        assertThat(route(table, "h", "/users/42/x")).isEqualTo("NOT_FOUND");
        assertThat(route(table, "h", "/v2/orders/7/items")).isEqualTo("orders");
    }

    @Test
    void aPathWithoutConditionMatchesEveryPath() {
        RouteTable table = table("""
                - host: a.example
                  paths:
                  - backend: all-of-a
                """);

        assertThat(route(table, "a.example", "/anything/at/all")).isEqualTo("all-of-a");
        assertThat(route(table, "b.example", "/")).isEqualTo("NOT_FOUND");
    }

    @Test
    void methodOnlyMismatchIs405AndOtherwise404() {
        RouteTable table = table("""
                - paths:
                  - {pathPrefix: /write, methods: [POST, PUT], backend: w}
                """);

        assertThat(routeMethod(table, "POST", "h", "/write")).isEqualTo("w");
        assertThat(routeMethod(table, "GET", "h", "/write")).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(routeMethod(table, "GET", "h", "/read")).isEqualTo("NOT_FOUND");
    }

    @Test
    void aLaterPathThatTakesTheMethodStillWins() {
        RouteTable table = table("""
                - paths:
                  - {pathPrefix: /x, methods: [POST], backend: posts}
                  - {pathPrefix: /x, backend: any}
                """);

        assertThat(routeMethod(table, "GET", "h", "/x")).isEqualTo("any");
    }

    @Test
    void hostsExactWildcardRegexpAndLists() {
        RouteTable table = table("""
                - host: api.example.com
                  paths: [{pathPrefix: /, backend: api}]
                - host: '*.example.com'
                  paths: [{pathPrefix: /, backend: wildcard}]
                - host: www.example.*
                  paths: [{pathPrefix: /, backend: prefix-wildcard}]
                - hostRegexp: '^img[0-9]\\.cdn\\.net$'
                  paths: [{pathPrefix: /, backend: regexp}]
                - hosts:
                  - {value: shop.test}
                  - {value: '^store-[a-z]+\\.test$', isRegexp: true}
                  paths: [{pathPrefix: /, backend: listed}]
                """);

        assertThat(route(table, "api.example.com", "/")).isEqualTo("api");
        assertThat(route(table, "API.Example.com:8080", "/")).isEqualTo("api");
        assertThat(route(table, "shop.example.com", "/")).isEqualTo("wildcard");
        assertThat(route(table, "example.com", "/")).isEqualTo("NOT_FOUND");
        assertThat(route(table, "www.example.org", "/")).isEqualTo("prefix-wildcard");
        assertThat(route(table, "img3.cdn.net", "/")).isEqualTo("regexp");
        assertThat(route(table, "shop.test", "/")).isEqualTo("listed");
        assertThat(route(table, "store-north.test", "/")).isEqualTo("listed");
        assertThat(route(table, "other.net", "/")).isEqualTo("NOT_FOUND");
    }

    @Test
    void aPatternHostRuleBeforeAnExactHostRuleTakesPrecedence() {
        RouteTable table = table("""
                - host: '*.example.com'
                  paths: [{pathPrefix: /, backend: wildcard}]
                - host: api.example.com
                  paths: [{pathPrefix: /, backend: exact}]
                - paths: [{pathPrefix: /, backend: any-host}]
                """);

        assertThat(route(table, "api.example.com", "/")).isEqualTo("wildcard");
        assertThat(route(table, "elsewhere.org", "/")).isEqualTo("any-host");
    }

    @Test
    void headerConditionsAnyOneOrAllAndAMismatchIs400() {
        RouteTable table = table("""
                - paths:
                  - pathPrefix: /any
                    headers:
                    - {key: X-Env, values: [canary, beta]}
                    - {key: User-Agent, regexp: '^curl/'}
                    backend: any-header
                  - pathPrefix: /all
                    matchAllHeader: true
                    headers:
                    - {key: X-Env, values: [canary]}
                    - {key: X-Team, regexp: '^(red|blue)$'}
                    backend: all-headers
                """);

        assertThat(route(table, "h", "/any", "X-Env", "beta")).isEqualTo("any-header");
        assertThat(route(table, "h", "/any", "User-Agent", "curl/8.5")).isEqualTo("any-header");
        assertThat(route(table, "h", "/any", "X-Env", "prod")).isEqualTo("BAD_REQUEST");
        assertThat(route(table, "h", "/all", "X-Env", "canary", "X-Team", "red")).isEqualTo("all-headers");
        assertThat(route(table, "h", "/all", "X-Env", "canary", "X-Team", "green")).isEqualTo("BAD_REQUEST");
        assertThat(route(table, "h", "/all", "X-Env", "canary")).isEqualTo("BAD_REQUEST");
    }

    @Test
    void easegressV1sMatchAllHeaderTakesValuesOrRegexpWhereV2sAsksBoth() {
        RouteTable table = table("""
                - paths:
                  - pathPrefix: /v1
                    MatchAllHeader: true
                    headers:
                    - {key: X-Env, values: [canary], regexp: '^beta'}
                    - {key: X-Team, values: [red]}
                    backend: v1-all
                  - pathPrefix: /v2
                    matchAllHeader: true
                    headers:
                    - {key: X-Env, values: [canary], regexp: '^beta'}
                    - {key: X-Team, values: [red]}
                    backend: v2-all
                """);

        // v1.5.3 spells it MatchAllHeader; each header holds by its values or by its regexp, and all must hold.
        assertThat(route(table, "h", "/v1", "X-Env", "beta-2", "X-Team", "red")).isEqualTo("v1-all");
        assertThat(route(table, "h", "/v1", "X-Env", "canary", "X-Team", "red")).isEqualTo("v1-all");
        assertThat(route(table, "h", "/v1", "X-Env", "beta-2", "X-Team", "blue")).isEqualTo("BAD_REQUEST");
        // v2: a header with both must match both.
        assertThat(route(table, "h", "/v2", "X-Env", "beta-2", "X-Team", "red")).isEqualTo("BAD_REQUEST");
        assertThat(route(table, "h", "/v2", "X-Env", "canary", "X-Team", "red")).isEqualTo("BAD_REQUEST");
    }

    @Test
    void aHeaderMismatchFallsThroughToALaterPath() {
        RouteTable table = table("""
                - paths:
                  - pathPrefix: /
                    headers: [{key: X-Canary, values: ['1']}]
                    backend: canary
                  - {pathPrefix: /, backend: stable}
                """);

        assertThat(route(table, "h", "/", "X-Canary", "1")).isEqualTo("canary");
        assertThat(route(table, "h", "/")).isEqualTo("stable");
    }

    @Test
    void anEmptyValueMatchesAMissingHeader() {
        RouteTable table = table("""
                - paths:
                  - pathPrefix: /
                    headers: [{key: X-Tenant, values: ['']}]
                    backend: no-tenant
                """);

        assertThat(route(table, "h", "/")).isEqualTo("no-tenant");
        assertThat(route(table, "h", "/", "X-Tenant", "acme")).isEqualTo("BAD_REQUEST");
    }

    @Test
    void aHeaderConditionMayNameItsOwnBackend() {
        RouteTable table = table("""
                - paths:
                  - pathPrefix: /
                    headers:
                    - {key: X-Version, values: ['2'], backend: v2}
                    - {key: X-Version, values: ['1']}
                    backend: v1
                """);

        assertThat(route(table, "h", "/", "X-Version", "2")).isEqualTo("v2");
        assertThat(route(table, "h", "/", "X-Version", "1")).isEqualTo("v1");
    }

    @Test
    void queryConditionsAnyOneOrAll() {
        RouteTable table = table("""
                - paths:
                  - path: /search
                    queries:
                    - {key: engine, values: [new]}
                    - {key: debug, regexp: '^(1|true)$'}
                    backend: new-search
                  - path: /both
                    matchAllQuery: true
                    queries:
                    - {key: a, values: ['1']}
                    - {key: b, values: ['2']}
                    backend: both
                """);

        assertThat(route(table, "h", "/search?engine=new")).isEqualTo("new-search");
        assertThat(route(table, "h", "/search?q=x&debug=true")).isEqualTo("new-search");
        assertThat(route(table, "h", "/search?engine=old")).isEqualTo("BAD_REQUEST");
        assertThat(route(table, "h", "/both?b=2&a=1")).isEqualTo("both");
        assertThat(route(table, "h", "/both?a=1")).isEqualTo("BAD_REQUEST");
    }

    @Test
    void aHeaderMismatchIsReportedBeforeAMethodMismatch() {
        RouteTable table = table("""
                - paths:
                  - {pathPrefix: /, methods: [POST], backend: post}
                  - pathPrefix: /
                    headers: [{key: X-Key, values: [k]}]
                    backend: keyed
                """);

        assertThat(routeMethod(table, "GET", "h", "/")).isEqualTo("BAD_REQUEST");
    }

    @Test
    void rewriteTargetReplacesTheExactPathThePrefixOrEachRegexpMatch() {
        RouteTable table = table("""
                - paths:
                  - {path: /old, rewriteTarget: /new, backend: p}
                  - {pathPrefix: /api/v1/, rewriteTarget: /, backend: p}
                  - {pathRegexp: '^/users/([0-9]+)/(?P<part>[a-z]+)$', rewriteTarget: '/v2/${part}/$1', backend: p}
                """);

        assertThat(rewritten(table, "/old")).isEqualTo("/new");
        assertThat(rewritten(table, "/api/v1/orders/7")).isEqualTo("/orders/7");
        assertThat(rewritten(table, "/users/42/orders")).isEqualTo("/v2/orders/42");
        assertThat(RequestTarget.withPath("/api/v1/x?y=1", "/x")).isEqualTo("/x?y=1");
    }

    /** As Easegress: a rule's ipFilter is asked before its paths' conditions, a path's own after its method, headers and query. */
    @Test
    void aPathsIpFilterComesAfterItsMethodAndHeadersARulesBefore() {
        RouteTable table = table("""
                - host: admin.example
                  ipFilter: {allowIPs: [10.0.0.0/8]}
                  paths:
                  - {path: /panel, methods: [GET], backend: panel}
                - paths:
                  - {path: /admin, methods: [GET], ipFilter: {allowIPs: [10.0.0.0/8]}, backend: admin}
                  - path: /keys
                    headers: [{key: X-Team, values: [ops]}]
                    ipFilter: {allowIPs: [10.0.0.0/8]}
                    backend: keys
                """);

        assertThat(routeMethod(table, "POST", "h", "/admin")).as("the method is wrong before the address").isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(route(table, "h", "/admin")).isEqualTo("FORBIDDEN");
        assertThat(route(table, "h", "/keys")).as("the header is missing before the address").isEqualTo("BAD_REQUEST");
        assertThat(route(table, "h", "/keys", "X-Team", "ops")).isEqualTo("FORBIDDEN");
        assertThat(routeMethod(table, "POST", "admin.example", "/panel")).as("a rule's filter comes first").isEqualTo("FORBIDDEN");
        // Easegress's router asks a rule's filter for every request to its host: a refused client gets 403 on any path.
        assertThat(route(table, "admin.example", "/nothing")).isEqualTo("FORBIDDEN");
        assertThat(route(table, "other.example", "/nothing")).isEqualTo("NOT_FOUND");
        // With a route cache: a miss is the client's, never cached for the next one (a pattern host too).
        RouteTable cached = table("cacheSize: 100\n", """
                - host: '*.admin.example'
                  ipFilter: {allowIPs: [10.0.0.0/8]}
                  paths: [{path: /panel, backend: panel}]
                """);
        java.net.InetSocketAddress inside = new java.net.InetSocketAddress("10.1.2.3", 50000);
        for (int round = 0; round < 2; round++) {
            assertThat(cached.route(request("GET", "eu.admin.example", "/nothing"), inside).outcome()).isEqualTo(RouteMatch.Outcome.NOT_FOUND);
            assertThat(cached.route(request("GET", "eu.admin.example", "/nothing"), PEER).outcome()).isEqualTo(RouteMatch.Outcome.FORBIDDEN);
        }
        assertThat(route(cached, "shop.example", "/nothing")).isEqualTo("NOT_FOUND");
    }

    /** As Easegress: one '*' at a host's start or end is a suffix or prefix, a rule without paths serves nothing. */
    @Test
    void hostWildcardsAnywhereAtAnEndCapitalsInARegexpAndARuleWithoutPaths() {
        RouteTable table = table("""
                - host: '*example.com'
                  paths: [{pathPrefix: /, backend: suffix}]
                - host: 'www*'
                  paths: [{pathPrefix: /, backend: prefix}]
                - hostRegexp: '^API\\.shop\\.com$'
                  paths: [{pathPrefix: /, backend: api}]
                - host: idle.example.org
                - paths: [{pathPrefix: /, backend: rest}]
                """);

        assertThat(route(table, "badexample.com", "/")).isEqualTo("suffix");
        assertThat(route(table, "example.com", "/")).isEqualTo("suffix");
        assertThat(route(table, "www2.other.org", "/")).isEqualTo("prefix");
        assertThat(route(table, "api.shop.com", "/")).as("hosts are matched lower-cased, regexps without case").isEqualTo("api");
        assertThat(route(table, "idle.example.org", "/")).isEqualTo("rest");
    }

    /** As Easegress (Go's URL.Path): routes match the percent-decoded path, so an encoded one cannot slip past its route. */
    @Test
    void routesMatchTheDecodedPath() {
        RouteTable table = table("""
                - paths:
                  - {pathPrefix: /admin, backend: guarded}
                  - {pathPrefix: /api/v1/, backend: api}
                  - {path: /café, backend: accented}
                  - {pathPrefix: /, backend: open}
                """);

        assertThat(route(table, "h", "/%61dmin/users")).isEqualTo("guarded");
        assertThat(route(table, "h", "/%2561dmin/users")).as("decoded once, as Go decodes").isEqualTo("open");
        assertThat(route(table, "h", "/api%2Fv1/orders")).isEqualTo("api");
        assertThat(route(table, "h", "/caf%C3%A9")).isEqualTo("accented");
        assertThat(route(table, "h", "/caf\u00c3\u00a9")).as("raw UTF-8 bytes, as the decoder hands them over").isEqualTo("accented");
        assertThat(route(table, "h", "/%61dmin/%FF")).as("bytes that are no UTF-8 still decode around them").isEqualTo("guarded");
        assertThat(route(table, "h", "/%zzadmin")).as("a broken escape (the server refuses it first) is routed as it is")
                .isEqualTo("open");
        assertThat(RequestTarget.encodedPath("/new/a b%/é")).isEqualTo("/new/a%20b%25/%C3%A9");
    }

    /**
     * As NGINX picks a location: '.' and '..' segments resolved and runs of '/' taken as one, after decoding, so a
     * path cannot reach past the route of where it leads (an upstream resolving {@code /public/../admin} serves /admin).
     */
    @Test
    void routesMatchThePathWithItsDotSegmentsResolved() {
        RouteTable table = table("""
                - paths:
                  - {pathPrefix: /admin, backend: guarded}
                  - {path: /public/, backend: index}
                  - {pathPrefix: /, backend: open}
                """);

        assertThat(route(table, "h", "/public/../admin/secret")).isEqualTo("guarded");
        assertThat(route(table, "h", "/public/%2e%2e/admin/secret")).isEqualTo("guarded");
        assertThat(route(table, "h", "/public/..%2Fadmin/secret")).isEqualTo("guarded");
        assertThat(route(table, "h", "//admin/secret")).isEqualTo("guarded");
        assertThat(route(table, "h", "/./admin")).isEqualTo("guarded");
        assertThat(route(table, "h", "/admin/../public/")).isEqualTo("index");
        assertThat(route(table, "h", "/public/x/..")).as("a last '..' leaves its slash").isEqualTo("index");
        assertThat(route(table, "h", "/../../admin")).as("nothing above the root").isEqualTo("guarded");
        assertThat(route(table, "h", "/.well-known/x")).isEqualTo("open");
        assertThat(RequestTarget.withoutDotSegments("/a/b/../c/./d//e/", true)).isEqualTo("/a/c/d/e/");
        assertThat(RequestTarget.withoutDotSegments("/a/b/../c/./d//e/", false)).isEqualTo("/a/c/d//e/");
        assertThat(RequestTarget.withoutDotSegments("/a//../b", false)).isEqualTo("/a/b");
        assertThat(RequestTarget.withoutDotSegments("/a/...", true)).isEqualTo("/a/...");
        assertThat(RequestTarget.withoutDotSegments("/..", true)).isEqualTo("/");

        // A server with a path written with '//' keeps runs of '/' as they are (chi, Easegress's tree, matches them so).
        RouteTable literal = table("""
                - paths:
                  - {pathPrefix: /admin, backend: guarded}
                  - {path: /files//raw, backend: raw}
                  - {pathPrefix: /, backend: open}
                """);
        assertThat(route(literal, "h", "/files//raw")).isEqualTo("raw");
        assertThat(route(literal, "h", "/files/raw")).isEqualTo("open");
        assertThat(route(literal, "h", "/public/../admin/x")).as("dot segments still resolved").isEqualTo("guarded");
    }

    /** Go's classes mean what they mean in Easegress, and matching takes linear time whatever the path. */
    @Test
    void regexpsAreGosAndCannotBeMadeToBacktrack() {
        RouteTable table = table("""
                - hostRegexp: '^[[:alnum:]-]+\\.example\\.com$'
                  paths:
                  - {pathRegexp: '^/([a-z0-9]+/?){1,10}$', backend: nested}
                  - {pathPrefix: /, backend: other}
                """);

        assertThat(route(table, "api.example.com", "/a/b/c")).isEqualTo("nested");
        // With a backtracking engine this path takes ~15 s to refuse (2^40 ways to split the a's); RE2 is linear.
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> assertThat(route(table, "api.example.com", "/" + "a".repeat(40) + "!")).isEqualTo("other"));
    }

    @Test
    void aPathMayCarryItsOwnBodyLimit() {
        RouteTable table = table("""
                - paths:
                  - {pathPrefix: /upload, clientMaxBodySize: -1, backend: p}
                  - {pathPrefix: /, backend: p}
                """);

        assertThat(table.route(request("POST", "h", "/upload"), PEER).clientMaxBodySize(4096)).isEqualTo(-1);
        assertThat(table.route(request("POST", "h", "/x"), PEER).clientMaxBodySize(4096)).isEqualTo(4096);
    }

    @Test
    void lookupTriesOnlyTheRoutesOfTheHostAndPathNotEveryRule() {
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            rules.append("- host: host").append(i).append(".example\n")
                    .append("  paths:\n")
                    .append("  - {pathPrefix: /api/").append(i).append("/, backend: api").append(i).append("}\n")
                    .append("  - {path: /health, backend: health").append(i).append("}\n");
        }
        RouteTable table = table(rules.toString());

        HttpRequest last = request("GET", "host4999.example", "/api/4999/items");
        assertThat(table.route(last, PEER).backend()).isEqualTo("api4999");
        assertThat(table.routesExamined(last, PEER)).isEqualTo(1);
        HttpRequest health = request("GET", "host2500.example", "/health");
        assertThat(table.route(health, PEER).backend()).isEqualTo("health2500");
        assertThat(table.routesExamined(health, PEER)).isEqualTo(1);
        assertThat(table.routesExamined(request("GET", "unknown.example", "/api/1/"), PEER)).isZero();
    }

    @Test
    void theMatchCacheNeverAnswersForHeaderDependentRoutes() {
        RouteTable table = table("cacheSize: 2\n", """
                - paths:
                  - pathPrefix: /h
                    headers: [{key: X-Side, values: [left]}]
                    backend: left
                  - {pathPrefix: /h, backend: right}
                  - {pathPrefix: /, methods: [GET], backend: plain}
                """);

        for (int round = 0; round < 3; round++) {
            assertThat(route(table, "h", "/h", "X-Side", "left")).isEqualTo("left");
            assertThat(route(table, "h", "/h")).isEqualTo("right");
            assertThat(route(table, "h", "/p")).isEqualTo("plain");
            assertThat(routeMethod(table, "POST", "h", "/p")).isEqualTo("METHOD_NOT_ALLOWED");
            for (int i = 0; i < 10; i++) {
                assertThat(route(table, "h", "/other" + i)).isEqualTo("plain");
            }
        }
    }

    @Test
    void routingAllocatesNoNewMatches() {
        RouteTable table = table("""
                - paths: [{pathPrefix: /, backend: p}]
                """);
        assertThat(table.route(request("GET", "h", "/a"), PEER)).isSameAs(table.route(request("GET", "h", "/b"), PEER));
    }
}
