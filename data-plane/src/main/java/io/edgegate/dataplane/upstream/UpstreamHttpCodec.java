package io.edgegate.dataplane.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;
import java.util.List;

/**
 * HTTP/1.1 to an upstream server: Netty's request encoder and response decoder, each answer read by its
 * request's method (a HEAD's has no body), as Netty's client codec does, and able to say whether the server
 * sent bytes beyond its answers. Such a connection is not reused (Go's client and NGINX drop it too): those
 * bytes, the body of a HEAD answer or more than its Content-Length said, would be read as the start of the next
 * request's answer, or make it.
 */
final class UpstreamHttpCodec extends CombinedChannelDuplexHandler<UpstreamHttpCodec.ResponseDecoder, UpstreamHttpCodec.RequestEncoder> {

    /** The methods of requests sent and not yet answered, oldest first; touched on the channel's event loop only. */
    private final ArrayDeque<HttpMethod> unanswered = new ArrayDeque<>(2);

    UpstreamHttpCodec(HttpDecoderConfig config) {
        init(new ResponseDecoder(config, unanswered), new RequestEncoder(unanswered));
    }

    /** Whether {@code channel}'s server sent bytes that no answer took (false for a channel without this codec). */
    static boolean holdsUnreadBytes(Channel channel) {
        UpstreamHttpCodec codec = channel.pipeline().get(UpstreamHttpCodec.class);
        return codec != null && codec.inboundHandler().holdsUnreadBytes();
    }

    static final class RequestEncoder extends HttpRequestEncoder {

        private final ArrayDeque<HttpMethod> unanswered;

        RequestEncoder(ArrayDeque<HttpMethod> unanswered) {
            this.unanswered = unanswered;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                unanswered.offer(request.method());
            }
            super.encode(ctx, msg, out);
        }
    }

    static final class ResponseDecoder extends HttpResponseDecoder {

        private final ArrayDeque<HttpMethod> unanswered;

        ResponseDecoder(HttpDecoderConfig config, ArrayDeque<HttpMethod> unanswered) {
            super(config);
            this.unanswered = unanswered;
        }

        /** Inside an answer: its head was decoded and its last content not yet. */
        private boolean inAnswer;
        /** Bytes came while no request waited for an answer: whatever they are, the connection is out of step. */
        private boolean stray;

        boolean holdsUnreadBytes() {
            return stray || actualReadableBytes() > 0;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, io.netty.buffer.ByteBuf buffer, List<Object> out) throws Exception {
            if (!inAnswer && unanswered.isEmpty() && buffer.isReadable()) {
                // Whole lines of them would be taken into a next answer's head, leaving no unread byte to see.
                stray = true;
            }
            int from = out.size();
            super.decode(ctx, buffer, out);
            for (int i = from; i < out.size(); i++) {
                Object message = out.get(i);
                if (message instanceof HttpResponse) {
                    inAnswer = true;
                }
                if (message instanceof io.netty.handler.codec.http.LastHttpContent) {
                    inAnswer = false;
                }
            }
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            // An interim answer (100 Continue) precedes the request's own: it takes no method off.
            if (((HttpResponse) msg).status().codeClass() != HttpStatusClass.INFORMATIONAL
                    && HttpMethod.HEAD.equals(unanswered.poll())) {
                return true;
            }
            return super.isContentAlwaysEmpty(msg);
        }
    }
}
