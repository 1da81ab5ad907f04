package io.edgegate.dataplane.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.edgegate.dataplane.metrics.RequestMeters;

/** After the TLS handshake, serves the protocol the client chose by ALPN: h2, or HTTP/1.1 (also without ALPN). */
final class AlpnSwitch extends ApplicationProtocolNegotiationHandler {

    private static final Logger log = LoggerFactory.getLogger(AlpnSwitch.class);

    private final ConnectionSetup setup;

    AlpnSwitch(ConnectionSetup setup) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.setup = setup;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            setup.http2(ctx.pipeline());
        } else {
            setup.http1(ctx.pipeline());
            // The client may not have sent its request yet, and nothing else asks for it.
            ctx.read();
        }
    }

    /**
     * Idle before a protocol was agreed (the handshake timeout normally comes first), or drained before it:
     * closed, as NGINX closes connections without a request when it reloads.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent || event == DrainEvent.INSTANCE) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        setup.state().meters().refused(RequestMeters.ConnectionRefusal.TLS);
        ctx.close();
    }
}
