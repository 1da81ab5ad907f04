package io.edgegate.dataplane.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SourceDocument;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.edgegate.spec.server.HttpServerSpec;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Easegress's {@code routerKind: RadixTree}: which path serves a request when several patterns
 * match it, as Easegress's own router decides (the cases of its router tests, and its docs').
 */
class RadixTreeTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.10", 50000);

    private static HttpServerSpec server(String paths) throws SpecException {
        String yaml = "kind: HTTPServer\nname: s\nport: 8080\nrouterKind: RadixTree\nrules:\n- paths:\n" + paths.indent(2);
        var document = new DocumentParser().parse(new SourceDocument("test", 0, 1, yaml));
        return (HttpServerSpec) new ObjectDecoder(FilterSpecKinds.builtIn()).decode(document, ValidationMode.STRICT).spec();
    }

    /** A table of paths, each to a backend named after it ("p0", "p1", …), in the order given. */
    private static RouteTable table(String... paths) throws SpecException {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < paths.length; i++) {
            yaml.append("- path: \"").append(paths[i]).append("\"\n  backend: p").append(i).append('\n');
        }
        return RouteTable.of(server(yaml.toString()));
    }

    private static String route(RouteTable table, String path) {
        RouteMatch match = table.route(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path), PEER);
        return match.outcome() == RouteMatch.Outcome.MATCHED ? match.backend() : match.outcome().name();
    }

    @Test
    void theMostSpecificPathWinsWhateverTheOrderTheyAreWrittenIn() throws Exception {
        String[] paths = {"/", "/favicon.ico", "/pages/*", "/article", "/article/", "/article/near", "/article/{id}",
            "/article/@{user}", "/article/{sup}/{opts}", "/article/{iffd}/edit", "/article/{id}//related",
            "/article/slug/{month}/-/{day}/{year}", "/admin/user", "/admin/user//{id}", "/admin/user/{id}", "/admin/apps/{id}",
            "/admin/apps/{id}/*", "/admin/*", "/users/{userID}/profile", "/users/super/*", "/users/*", "/hubs/{hubID}/view",
            "/hubs/{hubID}/view/*", "/hubs/{hubID}/*", "/hubs/{hubID}/users"};
        RouteTable table = table(paths);
        String[][] cases = {
            {"/", "/"}, {"/favicon.ico", "/favicon.ico"}, {"/pages", null}, {"/pages/", "/pages/*"}, {"/pages/yes", "/pages/*"},
            {"/article", "/article"}, {"/article/", "/article/"}, {"/article/near", "/article/near"},
            {"/article/neard", "/article/{id}"}, {"/article/123", "/article/{id}"}, {"/article/123/456", "/article/{sup}/{opts}"},
            {"/article/@peter", "/article/@{user}"}, {"/article/22//related", "/article/{id}//related"},
            {"/article/111/edit", "/article/{iffd}/edit"}, {"/article/slug/sept/-/4/2015", "/article/slug/{month}/-/{day}/{year}"},
            {"/article/:id", "/article/{id}"}, {"/admin/user", "/admin/user"}, {"/admin/user/1", "/admin/user/{id}"},
            {"/admin/user//1", "/admin/user//{id}"}, {"/admin/hi", "/admin/*"}, {"/admin/lots/of/:fun", "/admin/*"},
            {"/admin/apps/333", "/admin/apps/{id}"}, {"/admin/apps/333/woot", "/admin/apps/{id}/*"},
            {"/hubs/123/view", "/hubs/{hubID}/view"}, {"/hubs/123/view/index.html", "/hubs/{hubID}/view/*"},
            {"/hubs/123/users", "/hubs/{hubID}/users"}, {"/hubs/123/other", "/hubs/{hubID}/*"},
            {"/users/123/profile", "/users/{userID}/profile"}, {"/users/super/123/okay/yes", "/users/super/*"},
            {"/users/123/okay/yes", "/users/*"},
        };
        for (String[] c : cases) {
            String expected = c[1] == null ? "NOT_FOUND" : "p" + java.util.Arrays.asList(paths).indexOf(c[1]);
            assertThat(route(table, c[0])).as(c[0] + " → " + c[1]).isEqualTo(expected);
        }
        // Written the other way round, the same paths win.
        String[] reversed = Stream.of(paths).collect(Collectors.collectingAndThen(Collectors.toList(), l -> {
            java.util.Collections.reverse(l);
            return l.toArray(String[]::new);
        }));
        RouteTable backwards = table(reversed);
        for (String[] c : cases) {
            String expected = c[1] == null ? "NOT_FOUND" : "p" + java.util.Arrays.asList(reversed).indexOf(c[1]);
            assertThat(route(backwards, c[0])).as("reversed: " + c[0]).isEqualTo(expected);
        }
    }

    @Test
    void literalTextBeforeARegexpBeforeAParameterBeforeTheRest() throws Exception {
        // Easegress's routing tutorial: four ways to reach a user's card.
        RouteTable table = table("/users/{username}/hovercard", "/users/{username:[a-z]+}/hovercard", "/users/*",
                "/users/aniaan/hovercard");
        assertThat(route(table, "/users/aniaan/hovercard")).isEqualTo("p3");
        assertThat(route(table, "/users/bob/hovercard")).as("the regexp before the plain parameter").isEqualTo("p1");
        assertThat(route(table, "/users/bob42/hovercard")).isEqualTo("p0");
        assertThat(route(table, "/users/bob42/other")).isEqualTo("p2");
        assertThat(route(table, "/users/")).as("'*' matches nothing too").isEqualTo("p2");
        assertThat(route(table, "/users")).isEqualTo("NOT_FOUND");

        RouteTable crossing = table("/user/{username}/123", "/user/wang/{num}", "/{type}/wang/123");
        assertThat(route(crossing, "/user/wang/123")).as("literal 'wang' before {username}").isEqualTo("p1");
        assertThat(route(crossing, "/user/li/123")).isEqualTo("p0");
        assertThat(route(crossing, "/team/wang/123")).isEqualTo("p2");
    }

    @Test
    void aParameterEndsAtTheCharacterAfterIt() throws Exception {
        RouteTable table = table("/articles/{id}:delete", "/articles/{id}:{op}", "/articles/{slug:^[a-z]+}/posts", "/files/{name}.json");
        assertThat(route(table, "/articles/7:delete")).isEqualTo("p0");
        assertThat(route(table, "/articles/7:archive")).isEqualTo("p1");
        assertThat(route(table, "/articles/abc/posts")).isEqualTo("p2");
        assertThat(route(table, "/articles/ab1/posts")).isEqualTo("NOT_FOUND");
        assertThat(route(table, "/files/report.json")).isEqualTo("p3");
        assertThat(route(table, "/files/a.b.json")).as("the value stops at the first '.'").isEqualTo("NOT_FOUND");
        assertThat(route(table, "/files/a/b.json")).as("never across a '/'").isEqualTo("NOT_FOUND");
    }

    @Test
    void rewriteTargetsUseTheCapturedValues() throws Exception {
        RouteTable table = RouteTable.of(server("""
                - path: /users/{username}/hovercard
                  rewriteTarget: /api/users/{username}/card
                  backend: param
                - path: /files/*
                  rewriteTarget: /static/{EG_WILDCARD}
                  backend: files
                - path: /exact
                  rewriteTarget: /elsewhere
                  backend: exact
                """));
        assertThat(rewritten(table, "/users/ann/hovercard")).isEqualTo("/api/users/ann/card");
        assertThat(rewritten(table, "/files/css/site.css")).isEqualTo("/static/css/site.css");
        assertThat(rewritten(table, "/exact")).isEqualTo("/elsewhere");
    }

    @Test
    void methodsAndHeadersStillDecideAndAFailingPathFallsToTheNext() throws Exception {
        RouteTable table = RouteTable.of(server("""
                - path: /orders/{id}
                  methods: [DELETE]
                  backend: deleting
                - path: /orders/*
                  backend: any
                """));
        assertThat(route(table, "/orders/9")).as("GET does not take the DELETE path").isEqualTo("any");
        assertThat(table.route(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.DELETE, "/orders/9"), PEER).backend())
                .isEqualTo("deleting");
    }

    @Test
    void badPatternsAreRefusedWithWhatToWrite() {
        assertThatThrownBy(() -> server("- path: /a/{id\n  backend: b\n")).hasMessageContaining("has no closing '}'");
        assertThatThrownBy(() -> server("- path: /a/*/b\n  backend: b\n")).hasMessageContaining("'*' must end the path");
        assertThatThrownBy(() -> server("- path: /a/{id}/{id}\n  backend: b\n")).hasMessageContaining("names the parameter 'id' twice");
        assertThatThrownBy(() -> server("- path: \"/a/{id:[}\"\n  backend: b\n")).hasMessageContaining("has a bad regexp");
        assertThatThrownBy(() -> server("- path: /a/{x}{y}\n  backend: b\n")).hasMessageContaining("two parameters need text between them");
        assertThatThrownBy(() -> server("- path: /a/{id}\n  rewriteTarget: /b/{user}\n  backend: b\n"))
                .hasMessageContaining("names {user}, which the path /a/{id} does not capture (it captures id)");
        assertThatThrownBy(() -> server("- path: /a/*\n  rewriteTarget: /b/*\n  backend: b\n"))
                .hasMessageContaining("write {EG_WILDCARD}");
        assertThatThrownBy(() -> server("- pathPrefix: /api\n  backend: b\n")).hasMessageContaining("write path: /api/*");
        assertThatThrownBy(() -> server("- pathRegexp: ^/a\n  backend: b\n")).hasMessageContaining("routerKind RadixTree matches path only");
        assertThatThrownBy(() -> server("- backend: b\n")).hasMessageContaining("path: is required with routerKind RadixTree");
    }

    @Test
    void theOrderedRouterReadsBracesLiterally() throws Exception {
        var document = new DocumentParser().parse(new SourceDocument("test", 0, 1,
                "kind: HTTPServer\nname: s\nport: 8080\nrules:\n- paths:\n  - path: /a/{id}\n    backend: b\n"));
        RouteTable ordered = RouteTable.of((HttpServerSpec) new ObjectDecoder(FilterSpecKinds.builtIn())
                .decode(document, ValidationMode.STRICT).spec());
        assertThat(route(ordered, "/a/{id}")).isEqualTo("b");
        assertThat(route(ordered, "/a/7")).isEqualTo("NOT_FOUND");
    }

    private static String rewritten(RouteTable table, String path) {
        return table.route(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path), PEER).rewrite(path);
    }
}
