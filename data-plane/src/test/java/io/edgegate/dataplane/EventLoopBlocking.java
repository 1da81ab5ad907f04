package io.edgegate.dataplane;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.blockhound.BlockHound;

/**
 * Watches the event loops of in-process nodes for blocking calls (BlockHound): a sleep, a lock
 * wait, blocking I/O on a node's event loop stalls every connection it serves. Installed once
 * per test JVM; the call is recorded rather than failed where it happens (an error thrown on an
 * event loop may be swallowed), and {@link LocalNode} fails a test class whose node blocked.
 */
final class EventLoopBlocking {

    /** The threads of LocalNode's event loops; test backends have their own and may do as they like. */
    private static final List<String> NODE_THREADS = List.of("test-io-", "test-accept-");
    private static final List<String> seen = new CopyOnWriteArrayList<>();
    private static boolean installed;

    private EventLoopBlocking() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        BlockHound.install(builder -> builder
                // Netty 4.2's pooling allocator briefly takes a lock when two event loops contend for one magazine
                // and it grows their number: by its design, rare, and not a wait on I/O or on our code.
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
                .blockingMethodCallback(method -> {
                    String thread = Thread.currentThread().getName();
                    if (NODE_THREADS.stream().anyMatch(thread::startsWith)) {
                        StringBuilder where = new StringBuilder(thread + ": " + method);
                        for (StackTraceElement frame : new Throwable().getStackTrace()) {
                            if (frame.getClassName().startsWith("io.edgegate")) {
                                where.append("\n    at ").append(frame);
                            }
                        }
                        seen.add(where.toString());
                    }
                }));
    }

    /** How many blocking calls were seen so far: a mark to compare with later. */
    static int mark() {
        return seen.size();
    }

    /** The blocking calls seen since {@code mark}. */
    static List<String> since(int mark) {
        return List.copyOf(seen.subList(mark, seen.size()));
    }
}
