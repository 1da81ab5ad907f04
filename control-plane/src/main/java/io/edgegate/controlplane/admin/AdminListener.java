package io.edgegate.controlplane.admin;

import static io.edgegate.controlplane.admin.AdminResponses.answer;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import io.edgegate.controlplane.console.Console;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The control plane's admin HTTP listener ({@code --admin-listen}): {@code /healthz} (200 once its
 * config view is loaded, 503 before; its body says whether etcd answers), {@code /metrics} (Prometheus text) and further pages (the
 * console), on threads of its own: never the gRPC server's.
 */
public final class AdminListener implements AutoCloseable {

    /**
     * The JDK server reads each request on a worker: one whose head or body does not arrive holds its worker, and as
     * many as there are workers stop every answer, /healthz included. This property of the JDK server cuts such a
     * request off after its value in seconds; the server reads it once, so it is set before the first one is made
     * ({@link #boundRequestTime()}). Responses are not bounded: console streams stay open.
     */
    public static final String REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
    static final String REQUEST_TIME_SECONDS = "10";

    /** Enough for every console stream held open and scrapes beside them; more requests queue. */
    public static final int WORKERS = Console.MAX_STREAMS + 16;

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<AdminPages> pages;

    private AdminListener(HttpServer server, ExecutorService executor, List<AdminPages> pages) {
        this.server = server;
        this.executor = executor;
        this.pages = pages;
    }

    public static AdminListener start(InetSocketAddress address, BooleanSupplier healthy, BooleanSupplier storeReachable,
                                      Supplier<String> metrics,
                                      List<AdminPages> pages) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + address.getHostString() + ":" + address.getPort() + " (--admin-listen): "
                    + e.getMessage(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "admin-listener-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        server.createContext("/healthz", exchange -> {
            boolean ok = healthy.getAsBoolean();
            answer(exchange, ok ? 200 : 503, "application/json",
                    "{\"ready\":" + ok + ",\"storeReachable\":" + storeReachable.getAsBoolean() + "}\n");
        });
        server.createContext("/metrics", exchange -> answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        server.createContext("/", exchange -> answer(exchange, 404, "text/plain", "not found\n"));
        pages.forEach(page -> page.register(server));
        server.start();
        return new AdminListener(server, executor, pages);
    }

    /** Call before any JDK HTTP server exists in the process (the control plane's main does): see {@link #REQUEST_TIME_PROPERTY}. */
    public static void boundRequestTime() {
        if (System.getProperty(REQUEST_TIME_PROPERTY) == null) {
            System.setProperty(REQUEST_TIME_PROPERTY, REQUEST_TIME_SECONDS);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        pages.forEach(AdminPages::close);
        server.stop(0);
        executor.shutdownNow();
    }
}
