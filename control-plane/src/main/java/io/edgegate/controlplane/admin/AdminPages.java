package io.edgegate.controlplane.admin;

import com.sun.net.httpserver.HttpServer;

/** More pages on the admin listener besides /healthz and /metrics (the console). */
public interface AdminPages extends AutoCloseable {

    void register(HttpServer server);

    /** Ends what the pages hold open (streams), before the listener stops. */
    @Override
    void close();
}
