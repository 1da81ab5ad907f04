package io.edgegate.dataplane;

import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.dataplane.accesslog.AccessLog;
import io.edgegate.dataplane.accesslog.AccessLogConfig;
import io.edgegate.dataplane.accesslog.AccessLogFormat;
import io.edgegate.dataplane.accesslog.AccessLogOutput;
import io.edgegate.dataplane.customdata.CustomDataView;
import io.edgegate.dataplane.filter.BuiltInFilters;
import io.edgegate.dataplane.metrics.NodeMetrics;
import io.edgegate.dataplane.pipeline.FilterFailures;
import io.edgegate.dataplane.pipeline.FilterRegistry;
import io.edgegate.dataplane.pipeline.PipelineBuilder;
import io.edgegate.dataplane.registry.RegistryClients;
import io.edgegate.dataplane.registry.RegistryStarter;
import io.edgegate.dataplane.registry.RegistryView;
import io.edgegate.dataplane.runtime.ConfigRejectedException;
import io.edgegate.dataplane.runtime.CurrentRuntime;
import io.edgegate.dataplane.runtime.RuntimeUpdater;
import io.edgegate.dataplane.server.ListenerSet;
import io.edgegate.dataplane.tls.ServerTlsFactory;
import io.edgegate.dataplane.tracing.ServerTracings;
import io.edgegate.dataplane.tracing.Tracing;
import io.edgegate.dataplane.transport.Transport;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.dataplane.upstream.UpstreamSettings;
import io.edgegate.security.TlsProvider;
import io.edgegate.spec.DecodedObject;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.DocumentSplitter;
import io.edgegate.spec.codec.SourceDocument;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A data-plane node in the test's JVM: real event loops, listeners on 127.0.0.1, pipelines
 * and upstream pools, fed YAML directly instead of through a control plane. {@code new
 * LocalNode()} is one node shared by every test class of the run (its config is emptied when a
 * class ends); a node with its own TLS provider or factories belongs to its class alone. Either
 * way a class fails if, while it ran, a filter answered a request twice or something blocked
 * one of the node's event loops.
 */
public final class LocalNode implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace SHARED = ExtensionContext.Namespace.create(LocalNode.class);

    private final boolean shared;
    private final TlsProvider tlsProvider;
    private final UnaryOperator<RegistryStarter> registryStarter;
    private final UnaryOperator<ServerTlsFactory> tlsFactory;
    private final AccessLogFormat accessLogFormat;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Node node;
    private int blockingMark;
    private long secondAnswersBefore;
    private long expectedSecondAnswers;

    /** The node shared by the run's test classes. */
    public LocalNode() {
        this(true, TlsProvider.AUTO, UnaryOperator.identity(), UnaryOperator.identity(), AccessLogFormat.JSON);
    }

    public LocalNode(TlsProvider tlsProvider) {
        this(false, tlsProvider, UnaryOperator.identity(), UnaryOperator.identity(), AccessLogFormat.JSON);
    }

    /** A node of its own whose access log writes lines in {@code format}. */
    public static LocalNode withAccessLog(AccessLogFormat format) {
        return new LocalNode(false, TlsProvider.AUTO, UnaryOperator.identity(), UnaryOperator.identity(), format);
    }

    /**
     * A node whose registry clients and TLS contexts are made by the given wrappers around the
     * real ones: to count them or make them fail.
     */
    public LocalNode(TlsProvider tlsProvider, UnaryOperator<RegistryStarter> registryStarter, UnaryOperator<ServerTlsFactory> tlsFactory) {
        this(false, tlsProvider, registryStarter, tlsFactory, AccessLogFormat.JSON);
    }

    private LocalNode(boolean shared, TlsProvider tlsProvider, UnaryOperator<RegistryStarter> registryStarter,
                      UnaryOperator<ServerTlsFactory> tlsFactory, AccessLogFormat accessLogFormat) {
        this.shared = shared;
        this.tlsProvider = tlsProvider;
        this.registryStarter = registryStarter;
        this.tlsFactory = tlsFactory;
        this.accessLogFormat = accessLogFormat;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        EventLoopBlocking.install();
        blockingMark = EventLoopBlocking.mark();
        node = shared
                ? context.getRoot().getStore(SHARED).getOrComputeIfAbsent(Node.class,
                        k -> new Node(TlsProvider.AUTO, UnaryOperator.identity(), UnaryOperator.identity(), AccessLogFormat.JSON), Node.class)
                : new Node(tlsProvider, registryStarter, tlsFactory, accessLogFormat);
        secondAnswersBefore = node.failures.secondAnswers();
    }

    @Override
    public void afterAll(ExtensionContext context) throws ConfigRejectedException {
        // Every test against a node doubles as a check that no filter answered a request twice.
        long secondAnswers = node.failures.secondAnswers() - secondAnswersBefore;
        if (shared) {
            // The next class starts from nothing: no listener, pipeline or registry of this one left.
            node.apply(List.of());
        } else {
            node.close();
        }
        if (secondAnswers != expectedSecondAnswers) {
            throw new AssertionError(secondAnswers + " requests were answered twice by filters of this node, expected "
                    + expectedSecondAnswers + " (see the log)");
        }
        // And that nothing blocked one of its event loops.
        List<String> blocked = EventLoopBlocking.since(blockingMark);
        if (!blocked.isEmpty()) {
            throw new AssertionError(blocked.size() + " blocking calls on the node's event loops:\n" + String.join("\n", blocked));
        }
    }

    /** For a test that provokes second answers on purpose: how many the node should have counted when its class ends. */
    public void expectSecondAnswers(long count) {
        expectedSecondAnswers = count;
    }

    /** The access log's file (a line for every request this node served in the run) and the log itself. */
    public Path accessLogFile() {
        return node.accessLogFile;
    }

    public AccessLog accessLog() {
        return node.accessLog;
    }

    /** The node's metrics in Prometheus text, as /metrics serves them. */
    public String scrape() {
        return node.metrics.scrape();
    }

    /** The value of a gauge or counter of one HTTPServer in {@link #scrape()}, or -1 when it has no such series. */
    public double serverMetric(String name, String server) {
        return scrape().lines()
                .filter(line -> line.startsWith(name + "{") && line.contains("server=\"" + server + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }

    /** The node's count of filter failures, per filter and of second answers. */
    public FilterFailures failures() {
        return node.failures;
    }

    /** Applies the objects of these YAML texts as the node's whole config, as a control plane would. */
    public void apply(String... yaml) throws ConfigRejectedException {
        List<StoredObject> objects = new java.util.ArrayList<>();
        for (String text : yaml) {
            for (SourceDocument doc : DocumentSplitter.split("test", text)) {
                try {
                    DecodedObject decoded = node.decoder.decode(node.parser.parse(doc), ValidationMode.STRICT);
                    objects.add(StoredObject.newBuilder()
                            .setKey(ObjectKey.newBuilder().setKind(decoded.id().kind().kindName()).setName(decoded.id().name()))
                            .setJson(node.parser.toJson(decoded.document()))
                            .build());
                } catch (SpecException e) {
                    throw new IllegalArgumentException("test YAML is invalid: " + e.getMessage(), e);
                }
            }
        }
        applyObjects(objects);
    }

    /** Applies stored objects as they are (e.g. one the node's decoder refuses), as the next revision. */
    public void applyObjects(List<StoredObject> objects) throws ConfigRejectedException {
        node.apply(objects);
    }

    /** What the node runs now (for tests of what an apply rebuilt). */
    public io.edgegate.dataplane.runtime.NodeRuntime runtime() {
        return node.runtime.get();
    }

    /** The node's updater, for a config agent of a test's own. */
    public RuntimeUpdater updater() {
        return node.updater;
    }

    /** The revision the node serves. */
    public long appliedRevision() {
        return node.updater.appliedRevision();
    }

    public HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The node itself: event loops, resolver, runtime and updater; closed with its class, or (shared) after the run. */
    private static final class Node implements ExtensionContext.Store.CloseableResource {

        final DocumentParser parser = new DocumentParser();
        final ObjectDecoder decoder = new ObjectDecoder(FilterSpecKinds.builtIn());
        final FilterFailures failures = new FilterFailures();
        final RuntimeUpdater updater;
        final NodeMetrics metrics = new NodeMetrics("local");
        /** Every request of the run, one line each (JSON, as a node's default access log writes them, unless the node asked otherwise). */
        final Path accessLogFile;
        final AccessLog accessLog;
        private final CurrentRuntime runtime = new CurrentRuntime();
        private final java.util.concurrent.ScheduledExecutorService fileIo = Executors.newScheduledThreadPool(2);
        private final EventLoopGroup boss;
        private final EventLoopGroup workers;
        private final DnsAddressResolverGroup resolver;
        private long revision;

        Node(TlsProvider tlsProvider, UnaryOperator<RegistryStarter> registryStarter, UnaryOperator<ServerTlsFactory> tlsFactory,
             AccessLogFormat accessLogFormat) {
            // As DataPlane binds them once it serves.
            metrics.bindProcessMetrics();
            try {
                accessLogFile = java.nio.file.Files.createTempFile("edgegate-access-", ".log");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            accessLog = AccessLog.start("local", accessLogFormat, AccessLogOutput.file(accessLogFile, 1L << 30, 1),
                    AccessLogConfig.DEFAULT_CAPACITY, 1);
            metrics.watchAccessLog(accessLog);
            Transport transport = Transport.detect();
            boss = transport.newGroup(1, "test-accept");
            workers = transport.newGroup(2, "test-io");
            resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder().datagramChannelType(transport.datagramChannel()));
            UpstreamClient upstream = new UpstreamClient(transport, UpstreamSettings.DEFAULT, resolver, tlsProvider);
            UpstreamClient verifiedUpstream = new UpstreamClient(transport, UpstreamSettings.DEFAULT, resolver, tlsProvider, true);
            CustomDataView customData = new CustomDataView(() -> runtime.get().customData(), () -> runtime.get().customDataIdFields());
            RegistryView registries = new RegistryView(() -> runtime.get().registries());
            updater = new RuntimeUpdater(parser, decoder,
                    new PipelineBuilder(new FilterRegistry(FilterSpecKinds.builtIn(), BuiltInFilters.all(new BuiltInFilters.Needs(upstream,
                            verifiedUpstream, workers, registries, fileIo, customData, java.time.Clock.systemUTC()))), failures, metrics.registry(),
                            metrics.upstreamStates()),
                    new ListenerSet(transport, boss, workers, Optional.of("127.0.0.1"), a -> runtime.get().serverAt(a), Optional.empty()),
                    tlsFactory.apply(ServerTlsFactory.of(tlsProvider)), new RegistryClients(registryStarter.apply(RegistryStarter.of(fileIo))),
                    runtime, metrics, accessLog, new ServerTracings("local", Tracing.off()));
        }

        synchronized void apply(List<StoredObject> objects) throws ConfigRejectedException {
            updater.apply("", ++revision, objects);
        }

        @Override
        public void close() {
            accessLog.close();
            try {
                java.nio.file.Files.deleteIfExists(accessLogFile);
            } catch (java.io.IOException e) {
                // A temp file: the OS cleans up.
            }
            updater.shutdown(java.time.Duration.ofSeconds(1));
            fileIo.shutdownNow();
            resolver.close();
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * An example of examples/ as written, with its upstream addresses (the examples' 127.0.0.1:9095
     * etc.) pointed at {@code upstreams} in order.
     */
    public static String example(String file, String... upstreams) {
        try {
            String text = java.nio.file.Files.readString(io.edgegate.testkit.ProjectRoot.find().resolve("examples").resolve(file));
            String[] ports = {"http://127.0.0.1:9095", "http://127.0.0.1:9096", "http://127.0.0.1:9097"};
            for (int i = 0; i < upstreams.length; i++) {
                text = text.replace(ports[i], upstreams[i]);
            }
            return text;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An HTTPServer on {@code port} sending every path to {@code pipeline}. */
    public static String server(String name, int port, String pipeline) {
        return """
                kind: HTTPServer
                name: %s
                port: %d
                xForwardedFor: true
                rules:
                - paths:
                  - pathPrefix: /
                    backend: %s
                """.formatted(name, port, pipeline);
    }

    /** A v2 pipeline whose Proxy tries {@code url} up to {@code maxAttempts} times while it answers 503. */
    public static String retriedPipeline(String name, int maxAttempts, String url) {
        return """
                name: %s
                kind: Pipeline
                resilience:
                - name: retry
                  kind: Retry
                  maxAttempts: %d
                  waitDuration: 10ms
                flow:
                - filter: proxy
                filters:
                - name: proxy
                  kind: Proxy
                  pools:
                  - servers:
                    - url: %s
                    retryPolicy: retry
                    failureCodes: [503]
                """.formatted(name, maxAttempts, url);
    }

    /** A v1 pipeline whose Proxy balances over {@code urls} with {@code policy}. */
    public static String proxyPipeline(String name, String policy, String... urls) {
        StringBuilder servers = new StringBuilder();
        for (String url : urls) {
            servers.append("      - url: ").append(url).append('\n');
        }
        return """
                name: %s
                kind: HTTPPipeline
                flow:
                - filter: proxy
                filters:
                - name: proxy
                  kind: Proxy
                  mainPool:
                    servers:
                %s    loadBalance:
                      policy: %s
                """.formatted(name, servers, policy);
    }
}
