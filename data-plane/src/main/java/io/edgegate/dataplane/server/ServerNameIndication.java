package io.edgegate.dataplane.server;

import io.edgegate.dataplane.tls.ServerTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * Reads the client's SNI name from its hello and hands the connection to the certificate
 * that serves it. The contexts are those of the config the connection was accepted under,
 * so a certificate replaced by apply serves new connections while open ones keep theirs.
 */
final class ServerNameIndication extends SniHandler {

    private static final int MAX_CLIENT_HELLO = 16 * 1024;

    private final long handshakeTimeoutMillis;

    ServerNameIndication(ServerTls tls, long handshakeTimeoutMillis) {
        super(tls::forServerName, MAX_CLIENT_HELLO, handshakeTimeoutMillis);
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
        SslHandler handler = super.newSslHandler(context, allocator);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }
}
