package io.edgegate.dataplane.pipeline;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The requests and responses of a request's namespaces other than DEFAULT (Easegress v2): a
 * RequestBuilder makes a namespace's request, a Proxy in that namespace sends it and stores its
 * response there, and builders read them all. Made only when a flow step names a namespace, so
 * a plain pipeline carries none of it.
 */
final class Namespaces {

    /** One namespace's request and response. Bodies read whole are kept as bytes and replayed. */
    static final class Space {
        HttpRequest request;
        BodyStream requestBody = BodyStream.EMPTY;
        byte[] requestBytes;
        Response response;
        byte[] responseBytes;
        /** The length of a streamed body taken to be sent (-1: unknown): the forwarded head still declares it. */
        private long takenLength;

        BodyStream takeRequestBody() {
            if (requestBytes != null) {
                return new FixedBody(Unpooled.wrappedBuffer(requestBytes));
            }
            BodyStream body = requestBody;
            if (body != BodyStream.EMPTY) {
                takenLength = body.contentLength();
            }
            requestBody = BodyStream.EMPTY;
            return body;
        }

        long requestLength() {
            if (requestBytes != null) {
                return requestBytes.length;
            }
            return requestBody != BodyStream.EMPTY ? requestBody.contentLength() : takenLength;
        }

        void discard() {
            requestBody.discard();
            requestBody = BodyStream.EMPTY;
            if (response != null) {
                response.body().discard();
                response = null;
            }
        }
    }

    private final Map<String, Space> spaces = new LinkedHashMap<>();

    Space space(String namespace) {
        return spaces.computeIfAbsent(namespace, n -> new Space());
    }

    Space existing(String namespace) {
        return spaces.get(namespace);
    }

    Map<String, Space> all() {
        return spaces;
    }

    /** The request is over: what no one took is released (an upstream connection held by an unread body). */
    void discardAll() {
        spaces.values().forEach(Space::discard);
    }
}
