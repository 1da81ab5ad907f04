package io.edgegate.dataplane.upstream;

import io.netty.channel.Channel;
import java.util.ArrayDeque;

/**
 * Idle keep-alive connections to one upstream server, owned by one event loop and touched only
 * from it, so no locking is needed. Most recently used first: hot connections stay warm and
 * the idle timeout retires the rest. It also counts the connections open or opening to that
 * server, so its event loop can drop it when there are none: the servers a proxy is sent to can
 * be any host its clients name, or every address a registry ever listed.
 */
final class ServerConnections {

    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private int open;

    /** A connection is being made (counted until it fails or closes). */
    void opening() {
        open++;
    }

    /** A connection that was being made failed or closed; true when none is left. */
    boolean ended() {
        return --open == 0;
    }

    /** An open idle connection, or null. */
    Channel poll() {
        Channel channel;
        while ((channel = idle.pollFirst()) != null) {
            if (!channel.isActive()) {
                continue;
            }
            if (UpstreamHttpCodec.holdsUnreadBytes(channel)) {
                // The server sent more after its answer, while the connection waited: not a place for the next one.
                channel.close();
                continue;
            }
            return channel;
        }
        return null;
    }

    /** Keeps the connection for reuse, or closes it if {@code maxIdle} are kept already (the bound of the proxy that used it). */
    void release(Channel channel, int maxIdle) {
        if (!channel.isActive()) {
            return;
        }
        if (idle.size() >= maxIdle) {
            channel.close();
            return;
        }
        idle.addFirst(channel);
    }

    void forget(Channel channel) {
        idle.remove(channel);
    }
}
