package io.edgegate.dataplane.agent;

import io.edgegate.security.ControlChannelTls;
import io.edgegate.security.ReloadingTls;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Channels to the control planes: TLS with this node's certificate (its identity) checked
 * against the cluster CA, the control plane's certificate checked for the address dialled (or
 * {@code serverName}); plaintext only when the node runs with --insecure. The TLS implementation
 * is the node's {@code --tls-provider}, as for its listeners.
 */
public final class ControlChannels {

    private final Optional<ReloadingTls> tls;
    private final Optional<String> serverName;
    private final SslProvider provider;

    public ControlChannels(Optional<ReloadingTls> tls, Optional<String> serverName, SslProvider provider) {
        this.tls = tls;
        this.serverName = serverName;
        this.provider = provider;
    }

    public static ControlChannels plaintext() {
        return new ControlChannels(Optional.empty(), Optional.empty(), SslProvider.JDK);
    }

    /** Runs {@code listener} when the node's certificate or CA files changed and were re-read. */
    void onCredentialsChange(Runnable listener) {
        tls.ifPresent(t -> t.onChange(listener));
    }

    ManagedChannel open(String target) {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target)
                .keepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveTimeout(5, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .maxInboundMessageSize(64 * 1024 * 1024);
        if (tls.isPresent()) {
            builder.sslContext(ControlChannelTls.client(tls.get(), provider));
            serverName.ifPresent(builder::overrideAuthority);
        } else {
            builder.usePlaintext();
        }
        return builder.build();
    }
}
