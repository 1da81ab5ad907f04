package io.edgegate.dataplane.upstream;

import io.edgegate.dataplane.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;

/** How every upstream connection is opened: on the requesting event loop, resolved asynchronously, no Nagle. */
final class UpstreamBootstrap {

    private UpstreamBootstrap() {
    }

    static Bootstrap on(EventLoop loop, Transport transport, AddressResolverGroup<InetSocketAddress> resolver,
                        UpstreamSettings settings) {
        return new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .resolver(resolver)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true);
    }
}
