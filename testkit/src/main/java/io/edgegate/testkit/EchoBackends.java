package io.edgegate.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs echo backends until interrupted: {@code EchoBackends [HOST:]PORT ...}. Each is named
 * {@code backend-PORT}. Used by examples/echo-backends.sh and deploy/local-cluster.sh.
 */
public final class EchoBackends {

    private EchoBackends() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0) {
            System.err.println("usage: EchoBackends [HOST:]PORT ...   (e.g. 9095 9096 9097)");
            System.exit(2);
        }
        List<EchoBackend> backends = new ArrayList<>();
        for (String arg : args) {
            int colon = arg.lastIndexOf(':');
            String host = colon < 0 ? "127.0.0.1" : arg.substring(0, colon);
            int port = Integer.parseInt(colon < 0 ? arg : arg.substring(colon + 1));
            EchoBackend backend = EchoBackend.start("backend-" + port, host, port);
            backends.add(backend);
            System.out.println("echo backend " + backend.name() + " listening on " + backend.url());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            backends.forEach(EchoBackend::close);
            stopped.countDown();
        }));
        stopped.await();
    }
}
