package io.edgegate.dataplane.filter.adaptor;

import io.edgegate.async.Causes;
import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.adaptor.RequestAdaptorSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletionStage;
import java.util.zip.GZIPInputStream;

/** Decodes a gzip request body for the filters after the adaptor, refusing bodies that inflate past a bound (zip bombs). */
final class GzipRequestBody {

    static final int MAX_DECODED = 16 * 1024 * 1024;

    private GzipRequestBody() {
    }

    static CompletionStage<String> decode(RequestContext context) {
        HttpRequest request = context.request();
        return BodyCollector.collect(context.requestBody(), context.alloc(), MAX_DECODED).handle((ByteBuf encoded, Throwable error) -> {
            if (error != null) {
                Throwable cause = Causes.unwrap(error);
                if (cause instanceof io.edgegate.dataplane.http.BodyTooLargeException) {
                    context.respond(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "compressed body too large");
                } else {
                    context.respond(HttpResponseStatus.BAD_REQUEST, "the request body could not be read");
                }
                return RequestAdaptorSpec.RESULT_READ_BODY_FAILED;
            }
            ByteBuf decoded = context.alloc().buffer();
            try (InputStream in = new GZIPInputStream(new ByteBufInputStream(encoded, true))) {
                byte[] chunk = new byte[16 * 1024];
                int n;
                while ((n = in.read(chunk)) > 0) {
                    if (decoded.readableBytes() + n > MAX_DECODED) {
                        throw new IOException("decodes to more than " + MAX_DECODED + " bytes");
                    }
                    decoded.writeBytes(chunk, 0, n);
                }
            } catch (IOException e) {
                decoded.release();
                context.replaceRequestBody(io.edgegate.dataplane.http.BodyStream.EMPTY);
                context.respond(HttpResponseStatus.BAD_REQUEST, "the gzip body cannot be decoded: " + e.getMessage());
                return RequestAdaptorSpec.RESULT_DECOMPRESS_FAILED;
            }
            request.headers().remove(HttpHeaderNames.CONTENT_ENCODING);
            request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, decoded.readableBytes());
            context.replaceRequestBody(new FixedBody(decoded));
            return Filter.SUCCESS;
        });
    }
}
