package io.edgegate.dataplane.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;

/** Receives what a {@link BodyStream} answers to one pull. Whoever receives a chunk owns it and releases it. */
public interface BodyReceiver {

    void onChunk(ByteBuf chunk);

    /** The body ended; {@code trailers} is empty unless the sender sent trailers (chunked or HTTP/2). */
    void onEnd(HttpHeaders trailers);

    void onError(Throwable cause);
}
