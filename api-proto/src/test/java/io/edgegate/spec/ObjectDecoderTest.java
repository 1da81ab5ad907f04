package io.edgegate.spec;

import static io.edgegate.spec.SpecFixtures.decode;
import static io.edgegate.spec.SpecFixtures.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.SpecProblem;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.filter.proxy.LoadBalancePolicy;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.edgegate.spec.pipeline.PipelineSpec;
import io.edgegate.spec.server.HttpServerSpec;
import io.edgegate.testkit.Fixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ObjectDecoderTest {

    @Test
    void seedPipelineDecodesVerbatim() throws SpecException {
        DecodedObject decoded = decode(example("pipeline-reverse-proxy.yaml"));

        assertThat(decoded.id()).isEqualTo(new ObjectId(ObjectKind.HTTP_PIPELINE, "pipeline-reverse-proxy"));
        PipelineSpec pipeline = (PipelineSpec) decoded.spec();
        assertThat(pipeline.flow()).extracting(f -> f.filter()).containsExactly("proxy");
        ProxySpec proxy = (ProxySpec) pipeline.filter("proxy").orElseThrow();
        assertThat(proxy.mainPool().servers()).extracting(s -> s.url())
                .containsExactly("http://127.0.0.1:9095", "http://127.0.0.1:9096", "http://127.0.0.1:9097");
        assertThat(proxy.mainPool().loadBalance().policy()).isEqualTo(LoadBalancePolicy.ROUND_ROBIN);
        assertThat(decoded.warnings()).isEmpty();
    }

    @Test
    void exampleServerDecodesWithDefaults() throws SpecException {
        HttpServerSpec server = (HttpServerSpec) decode(example("http-server.yaml")).spec();

        assertThat(server.port()).isEqualTo(10080);
        assertThat(server.maxConnections()).isEqualTo(10240);
        assertThat(server.clientMaxBodySize()).isEqualTo(4 * 1024 * 1024);
        assertThat(server.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(server.rules().get(0).paths().get(0).pathPrefix()).contains("/pipeline");
        assertThat(server.rules().get(0).paths().get(0).backend()).isEqualTo("pipeline-reverse-proxy");
    }

    @Test
    void seedRegistryTypoIsRefusedWithSuggestion() {
        assertThatThrownBy(() -> decode(Fixtures.read("seed-000-registry-typo.yaml")))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("filters[0].mainPool.serviceRegisrty: unknown field 'serviceRegisrty' "
                        + "(did you mean 'serviceRegistry'?)");
        assertThatThrownBy(() -> decode(Fixtures.read("seed-000-registry-reference.yaml")))
                .hasMessageContaining("filters[0].mainPool.serviceRegisty: unknown field 'serviceRegisty' "
                        + "(did you mean 'serviceRegistry'?)");
    }

    @Test
    void warnModeDropsUnknownKeysAndReportsThem() throws SpecException {
        DecodedObject decoded = decode(Fixtures.read("seed-000-registry-typo.yaml").replaceAll("\\s+serviceName: .*\n", "\n"),
                ValidationMode.WARN);

        assertThat(decoded.warnings()).extracting(SpecProblem::toString).containsExactly(
                "filters[0].mainPool.serviceRegisrty: unknown field 'serviceRegisrty' (did you mean 'serviceRegistry'?); ignored");
        assertThat(decoded.document().at("/filters/0/mainPool").has("serviceRegisrty")).isFalse();
    }

    @Test
    void flowNamingAnUndefinedFilterIsRefused() {
        String yaml = example("pipeline-reverse-proxy.yaml").replace("- filter: proxy", "- filter: proxyy");
        assertThatThrownBy(() -> decode(yaml))
                .hasMessageContaining("flow[0].filter: filter 'proxyy' is not defined in filters (defined: proxy)");
    }

    @Test
    void serverUrlThatIsNotAUrlIsRefused() {
        String yaml = example("pipeline-reverse-proxy.yaml").replace("http://127.0.0.1:9096", "127.0.0.1:9096");
        assertThatThrownBy(() -> decode(yaml))
                .hasMessageContaining("filters[0].mainPool.servers[1].url: '127.0.0.1:9096' is not a URL");
        String spaces = example("pipeline-reverse-proxy.yaml").replace("http://127.0.0.1:9096", "http://bad host:9096");
        assertThatThrownBy(() -> decode(spaces)).hasMessageContaining("servers[1].url: 'http://bad host:9096' is not a URL");
        // Each request to such a server failed (a 500 from a port out of range, a 502 from port 0): refused at apply instead.
        for (String port : new String[] {"65536", "0", "99999999999"}) {
            String outOfRange = example("pipeline-reverse-proxy.yaml").replace("http://127.0.0.1:9096", "http://127.0.0.1:" + port);
            assertThatThrownBy(() -> decode(outOfRange))
                    .hasMessageContaining("servers[1].url: 'http://127.0.0.1:" + port + "' has port " + port + " (expected: 1-65535)");
        }
    }

    @Test
    void anInterimStatusCannotEndARequest() {
        // Sent as the final answer, "100 Continue" left the client waiting for one that never came.
        assertThatThrownBy(() -> decode("""
                name: p
                kind: Pipeline
                flow: [{filter: m}, {filter: f}]
                filters:
                - {name: m, kind: Mock, rules: [{code: 100}]}
                - {name: f, kind: Fallback, mockCode: 101}
                """)).isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).extracting(SpecProblem::toString)
                .contains("filters[0].rules[0].code: 100 is an interim status (1xx): a client would wait for a final answer that never comes;"
                        + " give 200-599",
                        "filters[1].mockCode: 101 is an interim status (1xx): a client would wait for a final answer that never comes;"
                                + " give 200-599"));
    }

    @Test
    void unknownKindIsRefusedWithSuggestion() {
        assertThatThrownBy(() -> decode("name: a\nkind: HTTPServr\nport: 80\n"))
                .hasMessageContaining("kind: unknown kind 'HTTPServr' (did you mean 'HTTPServer'?");
        assertThatThrownBy(() -> decode("name: a\nkind: Deployment\n"))
                .hasMessageContaining("unknown kind 'Deployment' (known kinds: HTTPServer, HTTPPipeline, Pipeline, GlobalFilter, CustomData, CustomDataKind, ZookeeperServiceRegistry, EtcdServiceRegistry)");
    }

    @Test
    void unknownFilterKindAndUnsupportedOnesAreTold() {
        String typo = example("pipeline-reverse-proxy.yaml").replace("kind: Proxy", "kind: Proxi");
        assertThatThrownBy(() -> decode(typo)).hasMessageContaining("filters[0].kind: unknown filter kind 'Proxi' (did you mean 'Proxy'?)");
        String later = "name: p\nkind: HTTPPipeline\nfilters:\n- name: rl\n  kind: WasmHost\n";
        assertThatThrownBy(() -> decode(later)).hasMessageContaining("filter kind 'WasmHost' is not supported by EdgeGate yet");
    }

    @Test
    void everyErrorOfADocumentIsReportedAtOnce() {
        String yaml = """
                name: bad name
                kind: HTTPServer
                port: 70000
                keepAliveTimeout: 10 seconds
                rules:
                - paths:
                  - pathRegexp: "([a-z"
                    methods: [GETT]
                    backend: p
                """;
        assertThatThrownBy(() -> decode(yaml))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).extracting(SpecProblem::toString)
                        .anySatisfy(m -> assertThat(m).startsWith("name: 'bad name' is not a valid name"))
                        .anySatisfy(m -> assertThat(m).isEqualTo("port: 70000 is out of range (expected: an integer from 1 to 65535)"))
                        .anySatisfy(m -> assertThat(m).startsWith("keepAliveTimeout: '10 seconds' is not a duration"))
                        .anySatisfy(m -> assertThat(m).startsWith("rules[0].paths[0].pathRegexp: '([a-z' is not a valid regular expression"))
                        .anySatisfy(m -> assertThat(m).startsWith("rules[0].paths[0].methods[0]: 'GETT' is not an HTTP method")));
    }

    /** Regexps are Go's (RE2), as Easegress compiles them: what Go refuses is refused, what Go accepts is accepted. */
    @Test
    void regexpsAreCheckedAsGoChecksThem() throws Exception {
        String refused = """
                name: s
                kind: HTTPServer
                port: 8080
                rules:
                - hostRegexp: '^(?=api)'
                  paths:
                  - pathRegexp: '^/(a)\\1$'
                    backend: p
                  - pathRegexp: '^/x++$'
                    backend: p
                """;
        assertThatThrownBy(() -> decode(refused))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).extracting(SpecProblem::toString)
                        .anySatisfy(m -> assertThat(m).startsWith("rules[0].hostRegexp: '^(?=api)' is not a valid regular expression"))
                        .anySatisfy(m -> assertThat(m).startsWith("rules[0].paths[0].pathRegexp"))
                        .anySatisfy(m -> assertThat(m).startsWith("rules[0].paths[1].pathRegexp")));
        String accepted = """
                name: s
                kind: HTTPServer
                port: 8080
                rules:
                - hostRegexp: '^[[:alnum:]-]+\\.example\\.com$'
                  paths:
                  - pathRegexp: '^/users/(?P<user_id>[0-9]+)$'
                    rewriteTarget: '/u/${user_id}'
                    backend: p
                """;
        assertThat(decode(accepted)).isNotNull();
    }

    @Test
    void textFieldsKeepScalarsAsWrittenAsEasegressYamlLibraryFillsThem() throws Exception {
        DecodedObject decoded = decode("""
                name: yes
                kind: Pipeline
                flow: [{filter: answer}]
                filters:
                - name: answer
                  kind: Mock
                  rules:
                  - code: 0310
                    headers: {X-Zip: 01234, X-Api-Version: 1.10, X-Hex: 0x1F, X-Flag: no, X-On: on, X-Plain: 42, X-True: true}
                    body: 0777
                """);

        // yaml.v3 (YAML 1.2) reads yes/no/on as words and puts a scalar's own text into a Go string; SnakeYAML's YAML 1.1
        // turned these into false, 668, 1.1 and 31.
        assertThat(decoded.id().name()).isEqualTo("yes");
        io.edgegate.spec.filter.mock.MockSpec.Rule rule =
                ((io.edgegate.spec.filter.mock.MockSpec) ((PipelineSpec) decoded.spec()).filters().get(0)).rules().get(0);
        assertThat(rule.headers()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("X-Zip", "01234", "X-Api-Version", "1.10",
                "X-Hex", "0x1F", "X-Flag", "no", "X-On", "on", "X-Plain", "42", "X-True", "true"));
        assertThat(rule.body()).isEqualTo("0777");
        // A number field still reads the number (0310 is YAML 1.1's octal 200), and what is stored is what was read.
        assertThat(rule.code()).isEqualTo(200);
        String stored = new io.edgegate.spec.codec.DocumentParser().toJson(decoded.document());
        assertThat(stored).contains("\"X-Zip\":\"01234\"", "\"X-Api-Version\":\"1.10\"", "\"body\":\"0777\"",
                "\"X-Flag\":\"no\"", "\"code\":200");
    }

    @Test
    void routingConditionsAndRewritesAreCheckedAtApply() {
        String yaml = """
                name: s
                kind: HTTPServer
                port: 80
                rules:
                - paths:
                  - pathRegexp: '^/u/([0-9]+)$'
                    rewriteTarget: /users/$2
                    backend: p
                  - pathRegexp: '^/u/(?P<id>[0-9]+)$'
                    rewriteTarget: /users/$idx
                    backend: p
                  - rewriteTarget: /x
                    backend: p
                  - pathPrefix: /h
                    headers: [{key: X-A}]
                    queries: [{key: q, values: [a], backend: other}]
                    backend: p
                - host: '*'
                  hosts: [{value: '*'}]
                  paths: [{backend: p}]
                """;
        assertThatThrownBy(() -> decode(yaml))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).extracting(SpecProblem::toString)
                        .contains("rules[0].paths[0].rewriteTarget: '/users/$2' refers to group 2 but the regexp has 1 group(s)",
                                "rules[0].paths[1].rewriteTarget: '/users/$idx' refers to group 'idx' that the regexp does not name"
                                        + " (write ${1}x for group 1 followed by x)",
                                "rules[0].paths[2].rewriteTarget: needs a path, pathPrefix or pathRegexp to say what it replaces",
                                "rules[0].paths[3].headers[0]: set values or regexp for 'X-A' (a condition with neither matches nothing)",
                                // Easegress takes it as an empty suffix and matches no host with it.
                                "rules[1].host: '*' alone matches no host in Easegress; leave the host out to serve every host",
                                "rules[1].hosts[0].value: '*' alone matches no host in Easegress; leave the host out to serve every host")
                        .anySatisfy(m -> assertThat(m).startsWith("rules[0].paths[3].queries[0].backend: unknown field 'backend'")));
    }

    @Test
    void goNamedGroupsAndTemplatesAreAccepted() throws SpecException {
        String yaml = """
                name: s
                kind: HTTPServer
                port: 80
                cacheSize: 1000
                rules:
                - paths:
                  - pathRegexp: '^/u/(?P<id>[0-9]+)/(.*)$'
                    rewriteTarget: /users/${id}/$2?cost=$$1
                    headers: [{key: X-Version, values: ['2'], backend: v2}]
                    backend: p
                """;
        HttpServerSpec server = (HttpServerSpec) decode(yaml).spec();

        assertThat(server.cacheSize()).isEqualTo(1000);
        assertThat(server.rules().get(0).paths().get(0).headers().get(0).backend()).contains("v2");
        assertThat(io.edgegate.spec.server.RewriteTemplate.parse("/users/${id}/$2?cost=$$1")
                .replaceAll(io.edgegate.spec.server.Regexps.compile("^/u/(?P<id>[0-9]+)/(.*)$"), "/u/42/orders"))
                .isEqualTo("/users/42/orders?cost=$1");
    }

    @Test
    void replacingEveryMatchSkipsAnEmptyMatchRightAfterAnother() {
        // Go's ReplaceAllString, Easegress's Redirector test: "(.*)" on "/foo/bar" with "$1/123" gives one "/123".
        io.edgegate.spec.server.RewriteTemplate template = io.edgegate.spec.server.RewriteTemplate.parse("$1/123");
        assertThat(template.replaceAll(io.edgegate.spec.server.Regexps.compile("(.*)"), "/foo/bar")).isEqualTo("/foo/bar/123");
        assertThat(template.replaceAll(io.edgegate.spec.server.Regexps.compile(".*"), "")).isEqualTo("/123");
        assertThat(io.edgegate.spec.server.RewriteTemplate.parse("-").replaceAll(io.edgegate.spec.server.Regexps.compile("x*"), "abc"))
                .as("empty matches between characters still count").isEqualTo("-a-b-c-");
    }

    @Test
    void groupNumbersAreReadAsGoReadsThem() {
        // Go's Expand: a leading zero or ten digits and more is a group name, not a number; such a name here names no group.
        String yaml = """
                name: s
                kind: HTTPServer
                port: 80
                rules:
                - paths:
                  - {pathRegexp: '^/(a)$', rewriteTarget: /$99999999999, backend: p}
                  - {pathRegexp: '^/(b)$', rewriteTarget: /$01, backend: p}
                  - {pathRegexp: '^/(c)$', rewriteTarget: /$999999999, backend: p}
                """;
        assertThatThrownBy(() -> decode(yaml))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).extracting(SpecProblem::toString)
                        .containsExactly(
                                "rules[0].paths[0].rewriteTarget: '/$99999999999' refers to group '99999999999' that the regexp"
                                        + " does not name (write ${1}x for group 1 followed by x)",
                                "rules[0].paths[1].rewriteTarget: '/$01' refers to group '01' that the regexp"
                                        + " does not name (write ${1}x for group 1 followed by x)",
                                // Nine digits are still a number to Go.
                                "rules[0].paths[2].rewriteTarget: '/$999999999' refers to group 999999999 but the regexp has 1 group(s)"));
        assertThat(io.edgegate.spec.server.RewriteTemplate.parse("[$01|$1|$99999999]")
                .replaceAll(io.edgegate.spec.server.Regexps.compile("(b)"), "b")).isEqualTo("[|b|]");
    }

    @Test
    void anOidcAdaptorWithAnEmptyDiscoveryNeedsBothEndpoints() throws SpecException {
        String yaml = """
                name: a
                kind: Pipeline
                flow: [{filter: oidc}]
                filters:
                - name: oidc
                  kind: OIDCAdaptor
                  clientId: c
                  clientSecret: s
                  redirectURI: /callback
                  discovery: ""
                  authorizationEndpoint: https://idp.example/auth
                """;
        assertThatThrownBy(() -> decode(yaml))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).extracting(SpecProblem::toString)
                        .containsExactly("filters[0]: give discovery (the provider's .well-known/openid-configuration),"
                                + " or authorizationEndpoint and tokenEndpoint"));
        assertThat(decode(yaml + "  tokenEndpoint: https://idp.example/token\n")).isNotNull();
    }

    @Test
    void staticFileNeedsAnAbsoluteRootAndPlainIndexNames() {
        String yaml = """
                name: files
                kind: HTTPPipeline
                filters:
                - name: www
                  kind: StaticFile
                  root: srv/www
                  index: [index.html, ../up.html]
                  maxAge: -1s
                """;
        assertThatThrownBy(() -> decode(yaml))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).extracting(SpecProblem::toString)
                        .contains("filters[0].root: 'srv/www' must be an absolute path (the directory on each data-plane node)",
                                "filters[0].index[1]: '../up.html' must be a file name, e.g. index.html",
                                "filters[0].maxAge: '-1s' is negative (a duration here is 0 or more)"));
    }

    @Test
    void ipFiltersTakeAddressesAndBlocksOnly() {
        String yaml = """
                name: s
                kind: HTTPServer
                port: 80
                ipFilter: {blockIPs: [10.0.0.0/33, "2001:db8::/32"]}
                trustedProxies: [lb.internal]
                rules:
                - ipFilter: {allowIPs: [300.1.1.1]}
                  paths:
                  - pathPrefix: /
                    ipFilter: {allowIPs: ["::1", "192.0.2.0/24"], blockIPs: [example.com]}
                    backend: p
                """;
        assertThatThrownBy(() -> decode(yaml))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).extracting(SpecProblem::toString)
                        .containsExactlyInAnyOrder(
                                "ipFilter.blockIPs[0]: '10.0.0.0/33' is not an IP address or CIDR block (expected: e.g. 192.0.2.7, 10.0.0.0/8, 2001:db8::/32)",
                                "trustedProxies[0]: 'lb.internal' is not an IP address or CIDR block (expected: e.g. 10.0.0.0/8)",
                                "rules[0].ipFilter.allowIPs[0]: '300.1.1.1' is not an IP address or CIDR block (expected: e.g. 192.0.2.7, 10.0.0.0/8, 2001:db8::/32)",
                                "rules[0].paths[0].ipFilter.blockIPs[0]: 'example.com' is not an IP address or CIDR block (expected: e.g. 192.0.2.7, 10.0.0.0/8, 2001:db8::/32)"));
    }

    @Test
    void aServerAddressMustBeAnAddressEveryNodeCanParse() throws SpecException {
        // Each of these once passed and every node retried its bind forever (a port inside, a doubled "::", a zone id).
        for (String address : new String[] {"10.0.0.1:8080", "1::2::3", "fe80::1%eth0", "12345::1", "localhost", "[::1"}) {
            String yaml = "name: s\nkind: HTTPServer\nport: 80\naddress: '" + address + "'\n"
                    + "rules: [{paths: [{pathPrefix: /, backend: p}]}]\n";
            assertThatThrownBy(() -> decode(yaml)).as(address)
                    .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).extracting(SpecProblem::toString)
                            .containsExactly("address: '" + address + "' is not an IP address (expected: e.g. 0.0.0.0 or ::1)"));
        }
        for (String address : new String[] {"0.0.0.0", "127.0.0.2", "::", "::1", "[::1]", "2001:db8::7", "::ffff:192.0.2.1"}) {
            String yaml = "name: s\nkind: HTTPServer\nport: 80\naddress: '" + address + "'\n"
                    + "rules: [{paths: [{pathPrefix: /, backend: p}]}]\n";
            assertThat(decode(yaml)).as(address).isNotNull();
        }
    }

    @Test
    void adaptorTemplatesAndPathRegexpsAreCheckedAtApply() {
        String yaml = """
                name: a
                kind: HTTPPipeline
                filters:
                - name: req
                  kind: RequestAdaptor
                  method: FETCH
                  path: {regexpReplace: {regexp: '^/(a)$', replace: '/$2'}}
                  header: {set: {X-A: '{{cookie.session}}', X-B: '{{path.x}}'}}
                  body: '{{header.X-Id'
                """;
        assertThatThrownBy(() -> decode(yaml))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).extracting(SpecProblem::toString)
                        .contains("filters[0].method: 'FETCH' is not an HTTP method",
                                "filters[0].path.regexpReplace.replace: '/$2' refers to group 2 but the regexp has 1 group(s)")
                        // Text in braces that names none of our placeholders is literal, as Easegress v2 takes static values.
                        .noneMatch(problem -> problem.contains("{{")));
    }

    @Test
    void easegressFieldsWeDoNotImplementAreNamedNotIgnored() {
        String yaml = "name: s\nkind: HTTPServer\nport: 443\nhttp3: true\nrules: [{paths: [{pathPrefix: /, backend: p}]}]\n";
        assertThatThrownBy(() -> decode(yaml)).hasMessageContaining("http3: 'http3' is not supported by EdgeGate yet");
    }

    @Test
    void unsupportedFieldsSetToOffAreHarmless() throws SpecException {
        String yaml = "name: s\nkind: HTTPServer\nport: 80\nhttp3: false\nrules: [{paths: [{pathPrefix: /, backend: p}]}]\n";
        assertThat(decode(yaml).spec()).isInstanceOf(HttpServerSpec.class);
    }

    @Test
    void pipelineV2TakesItsPoolFromPools() throws SpecException {
        String yaml = """
                name: v2
                kind: Pipeline
                filters:
                - name: proxy
                  kind: Proxy
                  pools:
                  - servers:
                    - url: http://10.0.0.1:8080
                      weight: 3
                    - url: http://10.0.0.2:8080
                      tags: [canary]
                    serverTags: [canary]
                    loadBalance:
                      policy: headerHash
                      headerHashKey: X-User
                """;
        ProxySpec proxy = (ProxySpec) ((PipelineSpec) decode(yaml).spec()).filters().get(0);

        assertThat(proxy.mainPool().selectedServers()).extracting(s -> s.url()).containsExactly("http://10.0.0.2:8080");
        assertThat(proxy.mainPool().loadBalance().headerHashKey()).contains("X-User");
        assertThat(proxy.mainPool().servers().get(0).weight()).isEqualTo(3);
    }

    @Test
    void jumpIfMustUseDeclaredResultsAndForwardTargets() {
        String yaml = """
                name: p
                kind: HTTPPipeline
                flow:
                - filter: a
                  jumpIf: {rateLimited: END, serverError: a}
                - filter: b
                filters:
                - {name: a, kind: Proxy, mainPool: {servers: [{url: "http://h:1"}]}}
                - {name: b, kind: Proxy, mainPool: {servers: [{url: "http://h:2"}]}}
                """;
        assertThatThrownBy(() -> decode(yaml))
                .hasMessageContaining("flow[0].jumpIf.rateLimited: filter 'a' (Proxy) never returns 'rateLimited'")
                .hasMessageContaining("flow[0].jumpIf.serverError: jump target 'a' must come after 'a' in the flow");
    }

    /** Results Easegress declares are accepted in jumpIf, so its configs apply as written. */
    @Test
    void easegressResultsOfProxyAdaptorsAndCorsAreAcceptedInJumpIf() throws Exception {
        decode("""
                name: p
                kind: Pipeline
                flow:
                - filter: cors
                  jumpIf: {rejected: END}
                - filter: in
                  jumpIf: {compressFailed: END, decompressFailed: END}
                - filter: proxy
                  jumpIf: {timeout: out}
                - filter: out
                  jumpIf: {responseNotFound: END, compressFailed: END, decompressFailed: END}
                filters:
                - {name: cors, kind: CORSAdaptor}
                - {name: in, kind: RequestAdaptor, compress: gzip}
                - {name: proxy, kind: Proxy, pools: [{servers: [{url: "http://h:1"}]}]}
                - {name: out, kind: ResponseAdaptor, header: {set: {X-A: b}}}
                """);
    }

    @Test
    void headerHashNeedsItsKeyAndPolicyMustExist() throws Exception {
        String noKey = example("pipeline-reverse-proxy.yaml").replace("policy: roundRobin", "policy: headerHash");
        assertThatThrownBy(() -> decode(noKey)).hasMessageContaining("loadBalance.headerHashKey: is required with policy headerHash");
        String badPolicy = example("pipeline-reverse-proxy.yaml").replace("policy: roundRobin", "policy: leastConn");
        assertThatThrownBy(() -> decode(badPolicy))
                .hasMessageContaining("loadBalance.policy: 'leastConn' is not a load-balancing policy (expected one of: roundRobin, random");
        // Easegress's cookieHash has no cookieName (it hashes the whole Cookie header).
        String noCookie = example("pipeline-reverse-proxy.yaml").replace("policy: roundRobin", "policy: cookieHash");
        assertThat(decode(noCookie)).isNotNull();
        String badSticky = example("pipeline-reverse-proxy.yaml").replace("policy: roundRobin",
                "policy: roundRobin\n        stickySession: {mode: Forever}");
        assertThatThrownBy(() -> decode(badSticky)).hasMessageContaining("loadBalance.stickySession.mode: 'Forever' is not a sticky-session mode");
        String noAppCookie = example("pipeline-reverse-proxy.yaml").replace("policy: roundRobin",
                "policy: roundRobin\n        stickySession: {mode: ApplicationBased}");
        assertThatThrownBy(() -> decode(noAppCookie))
                .hasMessageContaining("loadBalance.stickySession.appCookieName: is required with mode ApplicationBased");
    }

    @Test
    void duplicateFilterNamesAreRefused() {
        String yaml = "name: p\nkind: HTTPPipeline\nfilters:\n"
                + "- {name: a, kind: Proxy, mainPool: {servers: [{url: 'http://h:1'}]}}\n"
                + "- {name: a, kind: Proxy, mainPool: {servers: [{url: 'http://h:2'}]}}\n";
        assertThatThrownBy(() -> decode(yaml)).hasMessageContaining("filters[1].name: filter name 'a' is used twice");
    }

    @Test
    void identifyReadsOnlyNameAndKind() throws SpecException {
        var tree = new io.edgegate.spec.codec.DocumentParser()
                .parse(new io.edgegate.spec.codec.SourceDocument("x", 1, 1, "name: a\nkind: Pipeline\nwhatever: 1\n"));
        assertThat(ObjectDecoder.identify(tree)).isEqualTo(new ObjectId(ObjectKind.PIPELINE, "a"));
    }

    @Test
    void basicAuthModesTakeTheirOwnFieldsAndCustomDataHoldsFlatRecords() {
        String validator = "name: p\nkind: HTTPPipeline\nfilters:\n- name: v\n  kind: Validator\n  basicAuth: ";
        assertThatThrownBy(() -> decode(validator + "{mode: ETCD, etcdPrefix: a/b/}"))
                .hasMessageContaining("basicAuth.etcdPrefix: 'a/b/' must name one CustomData object");
        assertThatThrownBy(() -> decode(validator + "{mode: ETCD}")).hasMessageContaining("basicAuth.etcdPrefix: is required");
        assertThatThrownBy(() -> decode(validator + "{mode: FILE, userFile: /u, etcdPrefix: c/}"))
                .hasMessageContaining("basicAuth.etcdPrefix: is used with mode: ETCD");
        assertThatThrownBy(() -> decode(validator + "{mode: LDAP}")).hasMessageContaining("'LDAP' is not a mode (expected FILE or ETCD)");
        assertThatThrownBy(() -> decode("kind: CustomData\nname: c\nrecords:\n- username: a\n  nested: {x: 1}\n"))
                .hasMessageContaining("records[0].nested: expected a string");
        assertThatThrownBy(() -> decode("kind: CustomData\nname: c\nrecrods: []\n"))
                .hasMessageContaining("unknown field 'recrods' (did you mean 'records'?)");
    }

    @Test
    void poolsMayNameOnlyTheResiliencePoliciesTheirPipelineDeclares() {
        String pipeline = example("filters/resilience-v2.yaml");
        assertThatThrownBy(() -> decode(pipeline.replace("retryPolicy: retry3", "retryPolicy: retry4")))
                .hasMessageContaining("filters[0]: pool names Retry policy 'retry4', which the pipeline's resilience does not define "
                        + "(Retry policies: retry3)");
        assertThatThrownBy(() -> decode(pipeline.replace("circuitBreakerPolicy: cb", "circuitBreakerPolicy: retry3")))
                .hasMessageContaining("pool names CircuitBreaker policy 'retry3'");
        assertThatThrownBy(() -> decode(pipeline.replace("kind: Retry\n", "kind: Retryer\n")))
                .hasMessageContaining("'Retryer' is not a resilience policy kind (expected CircuitBreaker or Retry)");
        assertThatThrownBy(() -> decode(pipeline.replace("failureRateThreshold: 50", "failureRateThreshold: 150")))
                .hasMessageContaining("failureRateThreshold");
    }

    @Test
    void resilienceFiltersCheckTheirPolicyNamesAndReferences() throws Exception {
        String limiter = example("filters/rate-limiter.yaml");
        assertThatThrownBy(() -> decode(limiter.replace("policyRef: ten-per-second", "policyRef: ten-per-minute")))
                .hasMessageContaining("urls[0].policyRef: no policy named 'ten-per-minute' (policies: ten-per-second)");
        // A duration too long to hold is reported once, with the reason, not also as "too short".
        assertThatThrownBy(() -> decode(limiter.replace("limitRefreshPeriod: 1s", "limitRefreshPeriod: 9999999999h")))
                .hasMessageContaining("limitRefreshPeriod: '9999999999h' is too long")
                .hasMessageNotContaining("must be at least");
        // A url without policyRef takes defaultPolicyRef, as in Easegress; with neither, it guards nothing.
        assertThatThrownBy(() -> decode(limiter.replace("        policyRef: ten-per-second\n", "")))
                .hasMessageContaining("urls[0].policyRef: no policyRef, and no defaultPolicyRef to use instead");
        decode(limiter.replace("        policyRef: ten-per-second\n", "").replace("    urls:\n", "    defaultPolicyRef: ten-per-second\n    urls:\n"));
        assertThatThrownBy(() -> decode(limiter.replace("      - name: ten-per-second\n",
                "      - name: ten-per-second\n        limitForPeriod: 1\n      - name: ten-per-second\n")))
                .hasMessageContaining("policy name 'ten-per-second' is used twice");
        assertThatThrownBy(() -> decode(example("filters/circuit-breaker.yaml").replace("    defaultPolicyRef: orders\n", "")))
                .hasMessageContaining("urls: no request would be guarded: give urls with a policyRef, or a defaultPolicyRef");
        assertThatThrownBy(() -> decode(example("filters/retryer.yaml").replace("backOffPolicy: RANDOM", "backOffPolicy: LINEAR")))
                .hasMessageContaining("'LINEAR' is not a back-off policy (expected RANDOM or EXPONENTIAL)");
    }

    /** Easegress v1's countingNetworkError (the examples' key) and the earlier countingNetworkException both count. */
    @Test
    void countingNetworkErrorIsEasegressV1sKeyAndTheOlderNameIsReadToo() throws Exception {
        String retryer = example("filters/retryer.yaml");
        PipelineSpec pipeline = (PipelineSpec) decode(retryer).spec();
        var retry = (io.edgegate.spec.filter.retryer.RetryerSpec) pipeline.filter("retry").orElseThrow();
        assertThat(retry.policies().get(0).countingNetworkException()).isTrue();

        PipelineSpec older = (PipelineSpec) decode(retryer.replace("countingNetworkError", "countingNetworkException")).spec();
        var olderRetry = (io.edgegate.spec.filter.retryer.RetryerSpec) older.filter("retry").orElseThrow();
        assertThat(olderRetry.policies().get(0).countingNetworkException()).isTrue();

        PipelineSpec without = (PipelineSpec) decode(retryer.replace("        countingNetworkError: true\n", "")
                .replace("        randomizationFactor: 0.5\n", "")).spec();
        var plain = ((io.edgegate.spec.filter.retryer.RetryerSpec) without.filter("retry").orElseThrow()).policies().get(0);
        assertThat(plain.countingNetworkException()).isFalse();
        assertThat(plain.randomizationFactor()).as("Easegress's default").isZero();
    }

    /** Easegress joins an etcd registry's prefix and keys as paths: written without its last slash, it is the same prefix. */
    @Test
    void anEtcdRegistryPrefixWithoutItsLastSlashIsTheSamePrefix() throws Exception {
        var registry = (io.edgegate.spec.registry.EtcdServiceRegistrySpec) decode(
                "kind: EtcdServiceRegistry\nname: services\nendpoints: [http://127.0.0.1:2379]\nprefix: /services\n").spec();
        assertThat(registry.prefix()).isEqualTo("/services/");
        assertThatThrownBy(() -> decode("kind: EtcdServiceRegistry\nname: services\nendpoints: [http://127.0.0.1:2379]\nprefix: services/\n"))
                .hasMessageContaining("must start with /");
    }

    /**
     * serverMaxBodySize as Easegress reads it: -1 and 0 stream (our default), a positive limit is a pool's own or,
     * when the pool says 0 or nothing, the Proxy's.
     */
    @Test
    void serverMaxBodySizeIsAPoolsOwnOrTheProxys() throws Exception {
        String pipeline = "kind: Pipeline\nname: p\nfilters:\n- name: proxy\n  kind: Proxy\n  serverMaxBodySize: %s\n"
                + "  pools:\n  - servers: [{url: 'http://10.0.0.1:80'}]\n    serverMaxBodySize: %s\n"
                + "  - servers: [{url: 'http://10.0.0.2:80'}]\n    filter: {headers: {X-Canary: {exact: 'yes'}}}\n";
        assertThat(proxyOf(pipeline.formatted("-1", "-1")).mainPool().limitsServerBodies()).isFalse();
        io.edgegate.spec.filter.proxy.ProxySpec own = proxyOf(pipeline.formatted("-1", "1048576"));
        assertThat(own.mainPool().serverMaxBodySize()).isEqualTo(1048576);
        assertThat(own.candidatePools().get(0).limitsServerBodies()).isFalse();
        io.edgegate.spec.filter.proxy.ProxySpec inherited = proxyOf(pipeline.formatted("2048", "0"));
        assertThat(inherited.mainPool().serverMaxBodySize()).isEqualTo(2048);
        assertThat(inherited.candidatePools().get(0).serverMaxBodySize()).isEqualTo(2048);
        // A pool's -1 streams whatever the Proxy's limit: Easegress inherits only a pool's 0.
        assertThat(proxyOf(pipeline.formatted("2048", "-1")).mainPool().limitsServerBodies()).isFalse();
        assertThatThrownBy(() -> decode(pipeline.formatted("-2", "0"))).hasMessageContaining("serverMaxBodySize");
    }

    private io.edgegate.spec.filter.proxy.ProxySpec proxyOf(String yaml) throws Exception {
        return (io.edgegate.spec.filter.proxy.ProxySpec) ((PipelineSpec) decode(yaml).spec()).filters().get(0);
    }

    /** Easegress takes 0 for clientMaxBodySize and keepAliveTimeout, and a rule without paths: so do we, saying what they mean here. */
    @Test
    void zeroesAndARuleWithoutPathsThatEasegressTakesAreTaken() throws Exception {
        DecodedObject decoded = decode("kind: HTTPServer\nname: s\nport: 8080\nclientMaxBodySize: 0\nkeepAliveTimeout: 0s\n"
                + "rules:\n- host: idle.example.org\n- paths: [{pathPrefix: /, backend: p}]\n");
        HttpServerSpec server = (HttpServerSpec) decoded.spec();
        assertThat(server.clientMaxBodySize()).isEqualTo(4L * 1024 * 1024);
        assertThat(server.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(decoded.warnings()).extracting(SpecProblem::toString).anyMatch(w -> w.contains("keepAliveTimeout: 0 is taken as the default"))
                .anyMatch(w -> w.contains("rules[0].paths: a rule without paths serves no request"));
    }
}
