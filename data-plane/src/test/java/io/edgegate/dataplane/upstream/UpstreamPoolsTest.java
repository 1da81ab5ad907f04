package io.edgegate.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.transport.Transport;
import io.edgegate.security.TlsProvider;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The servers a proxy is sent to can be any host its clients name (SimpleHTTPProxy) or every
 * address a registry ever listed: an event loop keeps a server's pool only while a connection
 * to it is open or opening, or a stream of new names would grow the node's memory without end.
 */
class UpstreamPoolsTest {

    private final Transport transport = Transport.detect();
    private final EventLoopGroup group = transport.newGroup(1, "pools-test");
    private final DnsAddressResolverGroup resolver =
            new DnsAddressResolverGroup(new DnsNameResolverBuilder().datagramChannelType(transport.datagramChannel()));
    private final UpstreamClient client = new UpstreamClient(transport,
            new UpstreamSettings(Duration.ofSeconds(2), Duration.ofMillis(300), 16), resolver, TlsProvider.JDK);
    private final EventLoop loop = group.next();

    @AfterEach
    void stop() throws Exception {
        resolver.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private int serversKept() throws Exception {
        return loop.submit(client::serversPooledOnThisLoop).get(5, TimeUnit.SECONDS);
    }

    private CompletableFuture<UpstreamResponse> get(int port) {
        return client.send(loop, new UpstreamAddress("127.0.0.1", port, false),
                new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"), BodyStream.EMPTY);
    }

    @Test
    void serversThatRefuseLeaveNothingBehind() throws Exception {
        for (int i = 0; i < 50; i++) {
            CompletableFuture<UpstreamResponse> refused = get(FreePorts.pick());
            try {
                refused.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).hasMessageContaining("cannot connect to 127.0.0.1:");
            }
        }
        assertThat(serversKept()).isZero();
    }

    @Test
    void aServersPoolLivesAsLongAsItsConnections() throws Exception {
        try (EchoBackend backend = EchoBackend.start("pooled")) {
            for (int i = 0; i < 3; i++) {
                UpstreamResponse response = get(backend.port()).get(5, TimeUnit.SECONDS);
                assertThat(response.head().status().code()).isEqualTo(200);
                BodyCollector.collectBytes(response.body(), ByteBufAllocator.DEFAULT, 1 << 20).get(5, TimeUnit.SECONDS);
            }
            assertThat(serversKept()).as("its idle connection is kept for reuse").isEqualTo(1);
            // The idle timeout (300 ms here) closes the connection, and the pool goes with it.
            await().atMost(Duration.ofSeconds(5)).until(() -> serversKept() == 0);
            UpstreamResponse again = get(backend.port()).get(5, TimeUnit.SECONDS);
            assertThat(again.head().status().code()).isEqualTo(200);
            BodyCollector.collectBytes(again.body(), ByteBufAllocator.DEFAULT, 1 << 20).get(5, TimeUnit.SECONDS);
        }
    }
}
