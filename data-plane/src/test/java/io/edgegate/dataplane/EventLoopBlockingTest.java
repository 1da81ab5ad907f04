package io.edgegate.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The guard LocalNode relies on: a blocking call on a node's event loop is seen, with where it came from. */
class EventLoopBlockingTest {

    @Test
    void aSleepOnANodeEventLoopIsSeen() throws Exception {
        EventLoopBlocking.install();
        int mark = EventLoopBlocking.mark();
        EventLoopGroup loops = Transport.detect().newGroup(1, "test-io");
        try {
            loops.submit(() -> {
                sleepBriefly();
                return null;
            }).get(10, TimeUnit.SECONDS);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }

        assertThat(EventLoopBlocking.since(mark)).singleElement().asString()
                .startsWith("test-io-").contains("java.lang.Thread.sleep").contains("sleepBriefly");
    }

    private static void sleepBriefly() throws InterruptedException {
        Thread.sleep(1);
    }
}
