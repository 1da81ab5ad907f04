package io.edgegate.dataplane.filter.staticfile;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.filter.staticfile.StaticFileSpec;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Serves files under a root: GET and HEAD, index files for directories, validators
 * (ETag, Last-Modified) with 304 answers, single byte ranges with 206/416, content types by
 * extension. Looking up and reading files happens on the file-I/O executor; the connection's
 * event loop only writes.
 */
final class StaticFileFilter implements Filter {

    private static final CompletableFuture<String> NOT_FOUND = CompletableFuture.completedFuture(StaticFileSpec.RESULT_NOT_FOUND);
    private static final CompletableFuture<String> CLIENT_ERROR = CompletableFuture.completedFuture(StaticFileSpec.RESULT_CLIENT_ERROR);

    private final Path realRoot;
    private final List<String> index;
    private final String cacheControl;
    private final Executor io;

    StaticFileFilter(StaticFileSpec spec, Executor io) {
        try {
            this.realRoot = Path.of(spec.root()).toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("StaticFile " + spec.name() + ": root " + spec.root()
                    + " is not a readable directory on this node (" + e.getMessage() + ")");
        }
        if (!realRoot.toFile().isDirectory()) {
            throw new IllegalArgumentException("StaticFile " + spec.name() + ": root " + spec.root() + " is not a directory");
        }
        this.index = spec.index();
        this.cacheControl = spec.maxAge().map(d -> "public, max-age=" + d.toSeconds()).orElse(null);
        this.io = io;
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        HttpRequest request = context.request();
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            HttpResponse head = plainHead(HttpResponseStatus.METHOD_NOT_ALLOWED);
            head.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            context.respond(head, BodyStream.EMPTY);
            return CLIENT_ERROR;
        }
        String path = RequestTarget.path(request.uri());
        RequestedPath requested;
        try {
            requested = RequestedPath.parse(path);
        } catch (RequestedPath.MalformedPathException e) {
            context.respond(HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return CLIENT_ERROR;
        }
        if (requested == null) {
            context.respond(HttpResponseStatus.NOT_FOUND, "not found");
            return NOT_FOUND;
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        io.execute(() -> {
            FileLookup.Outcome outcome = FileLookup.find(realRoot, requested, index);
            context.eventLoop().execute(() -> result.complete(answer(context, request, path, outcome)));
        });
        return result;
    }

    private String answer(RequestContext context, HttpRequest request, String path, FileLookup.Outcome outcome) {
        if (outcome instanceof FileLookup.Missing) {
            context.respond(HttpResponseStatus.NOT_FOUND, "not found");
            return StaticFileSpec.RESULT_NOT_FOUND;
        }
        if (outcome instanceof FileLookup.Directory) {
            HttpResponse head = plainHead(HttpResponseStatus.MOVED_PERMANENTLY);
            head.headers().set(HttpHeaderNames.LOCATION, RequestTarget.withPath(request.uri(), path + "/"));
            context.respond(head, BodyStream.EMPTY);
            return SUCCESS;
        }
        FileLookup.Found file = (FileLookup.Found) outcome;
        if (context.isAborted()) {
            close(file);
            return SUCCESS;
        }
        String etag = "\"" + Long.toHexString(file.modifiedMillis() / 1000) + "-" + Long.toHexString(file.size()) + "\"";
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders headers = head.headers();
        headers.set(HttpHeaderNames.ETAG, etag);
        headers.set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(file.modifiedMillis())));
        headers.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        if (cacheControl != null) {
            headers.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        }
        if (Validators.notModified(request.headers(), etag, file.modifiedMillis())) {
            close(file);
            head.setStatus(HttpResponseStatus.NOT_MODIFIED);
            context.respond(head, BodyStream.EMPTY);
            return SUCCESS;
        }
        headers.set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.of(file.fileName()));
        ByteRange.Request range = Validators.rangeApplies(request.headers(), etag, file.modifiedMillis())
                ? ByteRange.parse(request.headers().get(HttpHeaderNames.RANGE), file.size())
                : new ByteRange.Whole();
        long start = 0;
        long length = file.size();
        if (range instanceof ByteRange.Unsatisfiable) {
            close(file);
            head.setStatus(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
            headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + file.size());
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            context.respond(head, BodyStream.EMPTY);
            return SUCCESS;
        }
        if (range instanceof ByteRange.Partial partial) {
            start = partial.range().first();
            length = partial.range().length();
            head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
            headers.set(HttpHeaderNames.CONTENT_RANGE,
                    "bytes " + partial.range().first() + "-" + partial.range().last() + "/" + file.size());
        }
        headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        context.respond(head, new FileBody(file.channel(), start, length, io, context.eventLoop(), context.alloc()));
        return SUCCESS;
    }

    private static HttpResponse plainHead(HttpResponseStatus status) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return head;
    }

    private static void close(FileLookup.Found file) {
        try {
            file.channel().close();
        } catch (IOException e) {
            // Only read from: nothing to recover.
        }
    }
}
