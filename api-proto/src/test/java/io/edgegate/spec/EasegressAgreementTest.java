package io.edgegate.spec;

import static io.edgegate.spec.SpecFixtures.decode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.SpecProblem;
import io.edgegate.spec.filter.adaptor.RequestAdaptorSpec;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.edgegate.spec.pipeline.PipelineSpec;
import io.edgegate.spec.server.RouterKind;
import io.edgegate.spec.server.HttpServerSpec;
import io.edgegate.spec.registry.EtcdServiceRegistrySpec;
import org.junit.jupiter.api.Test;

/** Inputs Easegress accepts that we used to refuse: the same YAML now means the same thing here. */
class EasegressAgreementTest {

    @Test
    void etcdEndpointsWithoutASchemeArePlainHttpAsEtcdsGoClientReadsThem() throws Exception {
        EtcdServiceRegistrySpec spec = (EtcdServiceRegistrySpec) decode("""
                name: registry
                kind: EtcdServiceRegistry
                endpoints: [127.0.0.1:2379, "https://etcd-2:2379"]
                """).spec();
        assertThat(spec.endpoints()).containsExactly("http://127.0.0.1:2379", "https://etcd-2:2379");
        assertThatThrownBy(() -> decode("""
                name: registry
                kind: EtcdServiceRegistry
                endpoints: [etcd-1]
                """)).hasMessageContaining("'etcd-1' is not an etcd endpoint like 127.0.0.1:2379");
    }

    @Test
    void resilienceFiltersWithAnEmptyUrlsListGuardNothingAsInEasegressWithAWarning() throws Exception {
        for (String kind : new String[] {"RateLimiter", "CircuitBreaker", "Retryer"}) {
            DecodedObject decoded = decode("""
                    name: p
                    kind: Pipeline
                    filters:
                    - name: guard
                      kind: %s
                      policies:
                      - name: only
                      defaultPolicyRef: only
                      urls: []
                    """.formatted(kind));
            assertThat(decoded.warnings()).as(kind).extracting(SpecProblem::toString).singleElement().asString()
                    .startsWith("filters[0].urls: no request would be").contains("urls is empty, which Easegress reads as no rules");
            io.edgegate.spec.pipeline.FilterSpec filter = ((PipelineSpec) decoded.spec()).filters().get(0);
            assertThat(filter).as(kind).hasFieldOrPropertyWithValue("defaultPolicyRef", java.util.Optional.empty());
        }
        // Left out, it is EdgeGate's shorthand: the default policy for every request, without a warning.
        DecodedObject shorthand = decode("""
                name: p
                kind: Pipeline
                filters:
                - name: guard
                  kind: RateLimiter
                  policies:
                  - name: only
                  defaultPolicyRef: only
                """);
        assertThat(shorthand.warnings()).isEmpty();
        assertThat(((PipelineSpec) shorthand.spec()).filters().get(0)).hasFieldOrPropertyWithValue("defaultPolicyRef",
                java.util.Optional.of("only"));
    }

    @Test
    void emptyValuesAreEmptyAsGoReadsThemNotErrors() throws Exception {
        PipelineSpec pipeline = (PipelineSpec) decode("""
                name: p
                kind: Pipeline
                flow:
                - filter: adaptor
                filters:
                - name: adaptor
                  kind: RequestAdaptor
                  header:
                    del:
                    set:
                    add:
                      X-Empty:
                """).spec();
        RequestAdaptorSpec adaptor = (RequestAdaptorSpec) pipeline.filters().get(0);
        assertThat(adaptor.header().del()).isEmpty();
        assertThat(adaptor.header().set()).isEmpty();
        assertThat(adaptor.header().add()).containsOnlyKeys("X-Empty");
        assertThat(adaptor.header().add().get("X-Empty").source()).isEmpty();
    }

    @Test
    void aJsonEscapedSlashIsASlashAsInYaml12() throws Exception {
        PipelineSpec pipeline = (PipelineSpec) decode("""
                name: p
                kind: Pipeline
                flow:
                - filter: adaptor
                filters:
                - name: adaptor
                  kind: RequestAdaptor
                  header:
                    set:
                      X-Path: "\\/api\\/v2"
                """).spec();
        RequestAdaptorSpec adaptor = (RequestAdaptorSpec) pipeline.filters().get(0);
        assertThat(adaptor.header().set().get("X-Path").source()).isEqualTo("/api/v2");
    }

    @Test
    void aShortJwtSecretIsAppliedWithAWarningAndAnEmptyOneIsRefused() throws Exception {
        String validator = """
                name: p
                kind: Pipeline
                flow:
                - filter: jwt
                filters:
                - name: jwt
                  kind: Validator
                  jwt:
                    algorithm: HS256
                    secret: "%s"
                """;
        DecodedObject weak = decode(validator.formatted("3132333435363738"));
        assertThat(weak.warnings()).extracting(SpecProblem::toString)
                .containsExactly("filters[0].jwt.secret: is 8 bytes, short enough to be guessed offline from one token; "
                        + "RFC 7518 asks for at least 32 for HS256");
        assertThat(decode(validator.formatted("31".repeat(32))).warnings()).isEmpty();
        assertThatThrownBy(() -> decode(validator.formatted(""))).hasMessageContaining("secret: is empty");
        assertThatThrownBy(() -> decode(validator.formatted("not-hex"))).hasMessageContaining("secret: must be hex");
    }

    @Test
    void anOddLengthJwtSecretKeepsTheWholeBytesAsEasegressDoes() throws Exception {
        // Easegress's documentation writes "6d7973656372657": Go decodes "mysecre" and Easegress drops the error.
        DecodedObject odd = decode("""
                name: p
                kind: Pipeline
                flow:
                - filter: jwt
                filters:
                - name: jwt
                  kind: Validator
                  jwt: {algorithm: HS256, secret: "6d7973656372657"}
                """);
        io.edgegate.spec.filter.validator.ValidatorSpec validator = (io.edgegate.spec.filter.validator.ValidatorSpec)
                ((PipelineSpec) odd.spec()).filters().get(0);
        assertThat(validator.jwt().orElseThrow().secretHex()).contains("6d797365637265");
        assertThat(odd.warnings()).extracting(SpecProblem::toString)
                .contains("filters[0].jwt.secret: has an odd number of hex digits; the last one is ignored, as Easegress ignores it");
    }

    @Test
    void easegressMetadataOnObjectsAndFiltersIsAccepted() throws Exception {
        PipelineSpec pipeline = (PipelineSpec) decode("""
                name: convert-nginx
                kind: Pipeline
                version: "1"
                labels: {team: edge}
                createdAt: "2023-01-02T15:04:05Z"
                flow: []
                filters:
                - kind: RequestAdaptor
                  name: request-adaptor
                  version: ""
                  header: {set: {X-Path: apis/v1}}
                """).spec();
        assertThat(pipeline.filters()).hasSize(1);
        assertThatThrownBy(() -> decode("name: p\nkind: Pipeline\nlabels: {a: [1]}\nflow: []\nfilters: []\n"))
                .hasMessageContaining("labels");
    }

    @Test
    void aMirrorPoolTakesTheFilterEasegressRequires() throws Exception {
        PipelineSpec pipeline = (PipelineSpec) decode("""
                name: p
                kind: HTTPPipeline
                flow:
                - filter: proxy
                filters:
                - name: proxy
                  kind: Proxy
                  mainPool:
                    servers: [{url: "http://127.0.0.1:9095"}]
                  mirrorPool:
                    filter:
                      headers:
                        X-Mirror:
                          exact: "yes"
                    servers: [{url: "http://127.0.0.1:9096"}]
                """).spec();
        ProxySpec proxy = (ProxySpec) pipeline.filters().get(0);
        assertThat(proxy.mirrorPool().orElseThrow().filter()).isPresent();

        // Easegress refuses a mirror without one, and one with a memoryCache.
        assertThatThrownBy(() -> decode("""
                name: p
                kind: Pipeline
                flow: [{filter: proxy}]
                filters:
                - name: proxy
                  kind: Proxy
                  pools: [{servers: [{url: "http://127.0.0.1:9095"}]}]
                  mirrorPool:
                    servers: [{url: "http://127.0.0.1:9096"}]
                    memoryCache: {codes: [200], methods: [GET], expiration: 10s, maxEntryBytes: 1024}
                """)).isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).extracting(SpecProblem::toString)
                .contains("filters[0].mirrorPool.filter: is required: it says which requests are copied "
                                + "(filter: {permil: 1000, policy: random} copies every one)",
                        "filters[0].mirrorPool.memoryCache: must be empty in mirrorPool"));
    }

    @Test
    void aV2RetryWaitingNoTimeWaitsEasegresssDefaultAndAV1RetryerDoesNot() throws Exception {
        PipelineSpec v2 = (PipelineSpec) decode("""
                name: p
                kind: Pipeline
                resilience:
                - {name: again, kind: Retry, maxAttempts: 2, waitDuration: 0s}
                flow: [{filter: proxy}]
                filters:
                - name: proxy
                  kind: Proxy
                  pools: [{servers: [{url: "http://127.0.0.1:9095"}], retryPolicy: again}]
                """).spec();
        PipelineSpec v1 = (PipelineSpec) decode("""
                name: p
                kind: HTTPPipeline
                flow: [{filter: retry}]
                filters:
                - name: retry
                  kind: Retryer
                  policies: [{name: again, maxAttempts: 2, waitDuration: 0s}]
                  defaultPolicyRef: again
                """).spec();

        ProxySpec proxy = (ProxySpec) v2.filters().get(0);
        assertThat(proxy.mainPool().resilience().retry().orElseThrow().waitDuration()).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(((io.edgegate.spec.filter.retryer.RetryerSpec) v1.filters().get(0)).policies().get(0).waitDuration())
                .isEqualTo(java.time.Duration.ZERO);
    }

    @Test
    void easegressKindsWeDoNotHaveAreRefusedByNameWithTheReasonTheReadmeGives() throws Exception {
        assertThatThrownBy(() -> decode("name: g\nkind: GRPCServer\nport: 8080\n"))
                .hasMessageContaining("kind 'GRPCServer' is not supported by EdgeGate yet: an HTTPServer serves gRPC itself");
        assertThatThrownBy(() -> decode("name: p\nkind: Pipeline\nflow: [{filter: w}]\nfilters:\n- name: w\n  kind: WasmHost\n"))
                .hasMessageContaining("filter kind 'WasmHost' is not supported by EdgeGate yet: no WebAssembly runtime is built");
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(NotSupportedYet.objectKinds());
        all.putAll(NotSupportedYet.filterKinds());
        all.forEach((kind, reason) -> assertThat(readme).as(kind).contains("| `" + kind + "` | "
                + (NotSupportedYet.objectKinds().containsKey(kind) ? "object" : "filter") + " | " + reason + " |"));
        long rows = readme.lines().filter(line -> line.matches("\\| `\\w+` \\| (object|filter) \\| .*")).count();
        assertThat(rows).as("no README row without its entry").isEqualTo(all.size());
    }

    @Test
    void aHealthCheckTakesEasegresssHttpProbeFields() throws Exception {
        ProxySpec proxy = proxy(proxyPipeline("", "healthCheck: "
                + "{method: HEAD, port: 8081, headers: {Host: h}, match: {headers: [{name: X-Up, value: \"1\"}]}}"));
        var check = proxy.mainPool().healthCheck().orElseThrow();
        assertThat(check.http()).as("HTTP fields make an HTTP probe, of the server's root").isTrue();
        assertThat(check.uri()).contains("/");
        assertThat(check.method()).isEqualTo("HEAD");
        assertThat(check.port()).isEqualTo(8081);
        assertThat(check.headerMatches()).containsExactly(new io.edgegate.spec.filter.proxy.HealthCheckSpec.HeaderMatch("X-Up", "1", false));
        var bare = proxy(proxyPipeline("", "healthCheck: {fails: 2}")).mainPool().healthCheck().orElseThrow();
        assertThat(bare.http()).as("Easegress's probe is HTTP even without its fields").isTrue();
        assertThat(bare.uri()).contains("/");
        assertThat(bare.interval()).as("Easegress's GetInterval default").isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(bare.timeout()).isEqualTo(java.time.Duration.ofSeconds(3));
        assertThatThrownBy(() -> decode(proxyPipeline("", "healthCheck: {username: probe}")))
                .hasMessageContaining("healthCheck.password: is required with username");
        assertThatThrownBy(() -> decode(proxyPipeline("", "healthCheck: {method: FETCH}"))).hasMessageContaining("'FETCH' is not an HTTP method");
        assertThatThrownBy(() -> decode(proxyPipeline("", "healthCheck: {headers: {\"Bad Name\": x}}"))).hasMessageContaining("'Bad Name' is not a header name");
        assertThatThrownBy(() -> decode(proxyPipeline("", "healthCheck: {headers: {X-A: \"a\\r\\nX-Injected: 1\"}}")))
                .hasMessageContaining("healthCheck.headers.X-A: a header value may not hold control characters");
        assertThatThrownBy(() -> decode(proxyPipeline("", "healthCheck: {match: {headers: [{name: X, value: a, type: glob}]}}")))
                .hasMessageContaining("'glob' is not a header match (expected exact or regexp)");
    }

    @Test
    void aProxysIdleConnectionBoundsAreGosTransportFields() throws Exception {
        java.util.function.Function<String, Integer> perServer = fields -> proxy(proxyPipeline(fields, "")).idle().perServer();
        assertThat(perServer.apply("")).as("Easegress's default").isEqualTo(1024);
        assertThat(perServer.apply("maxIdleConnsPerHost: 16")).isEqualTo(16);
        assertThat(perServer.apply("maxIdleConnsPerHost: 0")).as("Go's DefaultMaxIdleConnsPerHost").isEqualTo(2);
        assertThat(perServer.apply("maxIdleConns: 4\nmaxIdleConnsPerHost: 100"))
                .as("the total bounds each server too").isEqualTo(4);
        assertThat(perServer.apply("maxIdleConns: 0")).as("0 is no limit").isEqualTo(1024);
        assertThatThrownBy(() -> decode(proxyPipeline("maxIdleConnsPerHost: -1", ""))).hasMessageContaining("maxIdleConnsPerHost");
    }

    @Test
    void bothOfEasegresssRouterKindsAreRead() throws Exception {
        String server = "name: s\nkind: HTTPServer\nport: 10080\nrouterKind: %s\nrules: []\n";
        assertThat(((HttpServerSpec) decode(server.formatted("Ordered")).spec()).routerKind()).isEqualTo(RouterKind.ORDERED);
        assertThat(((HttpServerSpec) decode(server.formatted("RadixTree")).spec()).routerKind()).isEqualTo(RouterKind.RADIX_TREE);
        assertThatThrownBy(() -> decode(server.formatted("Trie"))).hasMessageContaining("'Trie' is not a router kind (expected Ordered or RadixTree)");
        decode(proxyPipeline("", "setUpstreamHost: true"));
    }

    @Test
    void aResponseAdaptorTakesGzipCompressOrDecompressAsEasegressDoes() throws Exception {
        String adaptor = "name: p\nkind: Pipeline\nflow: [{filter: a}]\nfilters:\n- name: a\n  kind: ResponseAdaptor\n  %s\n";
        assertThat(((io.edgegate.spec.filter.adaptor.ResponseAdaptorSpec) ((PipelineSpec) decode(adaptor.formatted("compress: gzip")).spec())
                .filters().get(0)).compressGzip()).isTrue();
        assertThatThrownBy(() -> decode(adaptor.formatted("compress: br"))).hasMessageContaining("compress: 'br' is not supported (expected gzip");
        assertThatThrownBy(() -> decode(adaptor.formatted("compress: gzip\n  decompress: gzip"))).hasMessageContaining("set compress or decompress, not both");
        assertThatThrownBy(() -> decode(adaptor.formatted("decompress: gzip\n  body: hi")))
                .hasMessageContaining("a body given here is not compressed: drop decompress");
        String request = adaptor.replace("ResponseAdaptor", "RequestAdaptor");
        assertThat(((io.edgegate.spec.filter.adaptor.RequestAdaptorSpec) ((PipelineSpec) decode(request.formatted("compress: gzip")).spec())
                .filters().get(0)).compressGzip()).isTrue();
        assertThatThrownBy(() -> decode(request.formatted("compress: zstd"))).hasMessageContaining("compress: 'zstd' is not supported");
        assertThatThrownBy(() -> decode(request.formatted("compress: gzip\n  decompress: gzip"))).hasMessageContaining("not both");
    }

    /** A v2 pipeline of one Proxy with one pool, the given fields added to the Proxy and to its pool. */
    @Test
    void redirectorV2IsCheckedAsEasegressChecksIt() {
        String pipeline = "name: p\nkind: Pipeline\nflow:\n- filter: r\nfilters:\n- name: r\n  kind: RedirectorV2\n";
        assertThatThrownBy(() -> decode(pipeline + "  scheme: ftp\n  statusCode: 305\n"))
                .hasMessageContaining("scheme: invalid scheme of Redirector, only support http and https")
                .hasMessageContaining("statusCode: invalid status code of Redirector");
        assertThatThrownBy(() -> decode(pipeline + "  path: {type: ReplacePrefixMatch}\n"))
                .hasMessageContaining("replacePrefixMatch can't be empty");
        assertThatThrownBy(() -> decode(pipeline + "  path: {type: Regex, replaceFullPath: /x}\n"))
                .hasMessageContaining("only support ReplaceFullPath and ReplacePrefixMatch");
        assertThatThrownBy(() -> decode(pipeline + "  port: 8443\n"))
                .hasMessageContaining("'port' is not supported by EdgeGate yet (Easegress ignores it too");
    }

    @Test
    void aV1ProxysFallbackNeedsItsFailureCodes() {
        assertThatThrownBy(() -> decode("""
                name: p
                kind: HTTPPipeline
                filters:
                - name: proxy
                  kind: Proxy
                  fallback: {forCodes: true, mockCode: 200}
                  mainPool: {servers: [{url: "http://127.0.0.1:9095"}]}
                """)).hasMessageContaining("fallback: fallback needs failureCodes");
    }

    private static String proxyPipeline(String proxyFields, String poolFields) {
        return """
                name: p
                kind: Pipeline
                flow:
                - filter: proxy
                filters:
                - name: proxy
                  kind: Proxy
                  %s
                  pools:
                  - servers: [{url: "http://127.0.0.1:9095"}]
                    %s
                """.formatted(proxyFields.replace("\n", "\n  "), poolFields);
    }

    private static ProxySpec proxy(String pipeline) {
        try {
            return (ProxySpec) ((PipelineSpec) decode(pipeline).spec()).filters().get(0);
        } catch (io.edgegate.spec.codec.SpecException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void aGrpcProxyReadsEasegresssPoolsAndRefusesWhatItsPoolsDoNotHave() throws Exception {
        String grpc = "name: p\nkind: Pipeline\nflow: [{filter: proxy}]\nfilters:\n- name: proxy\n  kind: GRPCProxy\n%s";
        var spec = (io.edgegate.spec.filter.grpcproxy.GrpcProxySpec) ((PipelineSpec) decode(grpc.formatted("""
                  timeout: 1s
                  pools:
                  - servers: [{url: "http://127.0.0.1:9095"}]
                  - filter: {methods: [{prefix: /pkg.Svc/}], headers: {x-canary: {exact: "1"}}}
                    servers: [{url: "http://127.0.0.1:9096"}]
                """)).spec()).filters().get(0);
        assertThat(spec.proxy().mainPool().timeout()).contains(java.time.Duration.ofSeconds(1));
        assertThat(spec.proxy().candidatePools()).hasSize(1);
        assertThat(spec.proxy().candidatePools().get(0).filter().orElseThrow().urls()).hasSize(1);
        assertThatThrownBy(() -> decode(grpc.formatted("  pools: [{servers: [{url: 'http://a:1'}]}, {servers: [{url: 'http://b:1'}]}]\n")))
                .hasMessageContaining("exactly one pool must have no filter (the main pool); found 2");
        assertThatThrownBy(() -> decode(grpc.formatted("  pools: [{servers: [{url: 'http://a:1'}], healthCheck: {interval: 5s}}]\n")))
                .hasMessageContaining("healthCheck: is not a field of a GRPCProxy pool");
        assertThatThrownBy(() -> decode(grpc.formatted("  connectTimeout: 1s\n  pools: [{servers: [{url: 'http://a:1'}]}]\n")))
                .hasMessageContaining("'connectTimeout' is not supported by EdgeGate yet");
        assertThatThrownBy(() -> decode(grpc.formatted("  pools: [{servers: [{url: 'http://a:1'}], filter: {urls: [{url: {prefix: /}}]}}]\n")))
                .hasMessageContaining("unknown field 'urls'");
        assertThatThrownBy(() -> decode(grpc.formatted("  pools: []\n"))).hasMessageContaining("a GRPCProxy needs a pool of servers");
    }

    @Test
    void pathSignerIsIgnoredAsEasegressIgnoresItWithAWarning() throws Exception {
        DecodedObject decoded = decode("name: p\nkind: Pipeline\nflow: [{filter: a}]\nfilters:\n- name: a\n  kind: RequestAdaptor\n"
                + "  path:\n    signer:\n      for: aws4\n");
        assertThat(decoded.warnings()).extracting(SpecProblem::toString)
                .containsExactly("filters[0].path.signer: is ignored, as Easegress ignores it (its path adaptor has no signer); "
                        + "sign requests with the RequestAdaptor's sign: {apiProvider: aws4, ...}");
    }
}
