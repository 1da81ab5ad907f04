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

    /** Enough for every console stream held open and scrapes beside them; more requests queue. */
    private static final int THREADS = Console.MAX_STREAMS + 16;

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
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
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
