package io.edgegate.dataplane.filter.fileserver;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.edgegate.dataplane.filter.staticfile.ByteRange;
import io.edgegate.dataplane.filter.staticfile.ContentTypes;
import io.edgegate.dataplane.filter.staticfile.FileBody;
import io.edgegate.dataplane.filter.staticfile.Validators;
import io.edgegate.dataplane.http.AcceptEncoding;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.CodedBody;
import io.edgegate.dataplane.http.ContentSniffer;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.filter.fileserver.FileServerSpec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.zip.GZIPOutputStream;

/**
 * Easegress v2's FileServer on the node: the file is found and read on the file-I/O executor, the
 * answer written on the connection's event loop. Files up to {@code bufferPoolMaxFileSize} are kept
 * in memory with a content hash for their ETag; larger ones stream from disk. Where Easegress's code
 * and its reference page differ, the page is followed (precompressed files are {@code file.gz} and
 * {@code file.br}; Accept-Encoding is read as HTTP says, with q-values); ranges are served for every
 * file, and only GET and HEAD are (405 otherwise, as NGINX).
 */
final class FileServerFilter implements Filter {

    private static final CompletableFuture<String> CLIENT_ERROR = CompletableFuture.completedFuture(FileServerSpec.RESULT_CLIENT_ERROR);

    /** A small file's content and its ETag, kept while used, with its gzip'd form once a client took one. */
    static final class SmallFile {
        private final byte[] content;
        private final String etag;
        private volatile byte[] gzipped;

        SmallFile(byte[] content, String etag) {
            this.content = content;
            this.etag = etag;
        }

        byte[] content() {
            return content;
        }

        String etag() {
            return etag;
        }

        /** Compressed on the file-I/O executor the first time (two racing requests may both compress: the same bytes). */
        byte[] gzipped() {
            byte[] done = gzipped;
            if (done == null) {
                done = gzip(content);
                gzipped = done;
            }
            return done;
        }
    }

    private record FileKey(Path path, long modifiedMillis, long size) {
    }

    /** What the file-I/O executor found and read for the event loop to answer with. */
    private sealed interface Prepared permits Refusal, Small, Large {
    }

    private record Refusal(int status, String message, String result) implements Prepared {
    }

    private record Small(FileResolver.Found found, SmallFile file, long modifiedMillis) implements Prepared {
    }

    private record Large(FileResolver.Found found, FileChannel channel, long size, long modifiedMillis) implements Prepared {
    }

    private final String root;
    private final FileResolver resolver;
    private final FileRules rules;
    private final boolean compress;
    private final boolean varies;
    private final long maxSmallBytes;
    private final Cache<FileKey, SmallFile> smallFiles;
    private final FileCacheBudget budget;
    private final Executor io;

    FileServerFilter(FileServerSpec spec, Executor io, FileCacheBudget budget) {
        this.root = GoPaths.clean(Path.of(spec.root()).toAbsolutePath().toString());
        this.resolver = new FileResolver(spec, root);
        this.rules = new FileRules(root, spec.hidden(), spec.cache().rules());
        this.compress = spec.compress();
        this.varies = spec.compress() || !spec.precompressed().isEmpty();
        this.maxSmallBytes = spec.cache().maxFileBytes();
        this.budget = budget;
        this.smallFiles = Caffeine.newBuilder()
                // Kept in the heap: this filter's bufferPoolSize (2 GB by default) bounds its own, the node's budget all of them.
                .maximumWeight(Math.min(spec.cache().poolBytes(), Runtime.getRuntime().maxMemory() / 4))
                .<FileKey, SmallFile>weigher((key, file) -> weight(file, this.compress))
                .expireAfterAccess(spec.cache().ttl())
                .removalListener((FileKey key, SmallFile file, RemovalCause cause) -> {
                    if (file != null) {
                        budget.release(weight(file, this.compress));
                    }
                })
                .executor(Runnable::run)
                .build();
        this.io = io;
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        HttpRequest request = context.request();
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.METHOD_NOT_ALLOWED);
            head.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD").setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            context.respond(head, BodyStream.EMPTY);
            return CLIENT_ERROR;
        }
        String path = RequestTarget.decodedPath(RequestTarget.path(request.uri()));
        String acceptEncoding = request.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
        boolean gzipWanted = gzipWanted(request.headers());
        CompletableFuture<String> result = new CompletableFuture<>();
        io.execute(() -> {
            Prepared prepared;
            try {
                prepared = prepare(path, acceptEncoding, gzipWanted);
            } catch (InvalidPathException e) {
                // A name no file can have (a NUL decoded from %00).
                prepared = new Refusal(400, "bad request", FileServerSpec.RESULT_CLIENT_ERROR);
            } catch (RuntimeException e) {
                prepared = new Refusal(500, "internal server error", FileServerSpec.RESULT_INTERNAL_ERROR);
            }
            Prepared answered = prepared;
            context.eventLoop().execute(() -> result.complete(answer(context, answered)));
        });
        return result;
    }

    /** Whether the answer is gzip'd here if the file found is not a precompressed variant. */
    private boolean gzipWanted(HttpHeaders request) {
        return compress && request.get(HttpHeaderNames.RANGE) == null
                && AcceptEncoding.accepts(request.get(HttpHeaderNames.ACCEPT_ENCODING), "gzip");
    }

    private Prepared prepare(String path, String acceptEncoding, boolean gzipWanted) {
        FileResolver.Resolution resolution = resolver.resolve(path, acceptEncoding);
        if (resolution instanceof FileResolver.Refused refused) {
            return new Refusal(refused.status(), refused.message(), FileServerSpec.RESULT_CLIENT_ERROR);
        }
        FileResolver.Found found = (FileResolver.Found) resolution;
        // Hidden whether the rule names the file asked for or the variant that would answer.
        if (rules.hidden(found.asked()) || rules.hidden(found.file().toString())) {
            return new Refusal(403, "access denied", FileServerSpec.RESULT_CLIENT_ERROR);
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(found.file(), BasicFileAttributes.class);
            long modified = attributes.lastModifiedTime().toMillis();
            if (attributes.size() <= maxSmallBytes) {
                SmallFile file = cached(found.file(), modified, attributes.size());
                if (gzipWanted && found.coding() == null) {
                    // Here, not on the event loop: a file of some megabytes takes tens of milliseconds to compress.
                    file.gzipped();
                }
                return new Small(found, file, modified);
            }
            return new Large(found, FileChannel.open(found.file(), StandardOpenOption.READ), attributes.size(), modified);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            // Gone or unreadable since it was found.
            return new Refusal(404, "file not found", FileServerSpec.RESULT_NOT_FOUND);
        }
    }

    /** The file from this filter's cache, else read and kept if the node's budget has room for it. */
    SmallFile cached(Path path, long modifiedMillis, long size) {
        FileKey key = new FileKey(path, modifiedMillis, size);
        SmallFile file = smallFiles.getIfPresent(key);
        if (file != null) {
            return file;
        }
        file = read(key.path());
        if (budget.reserve(weight(file, compress))) {
            SmallFile kept = smallFiles.asMap().putIfAbsent(key, file);
            if (kept != null) {
                // Another request read it first: the budget taken for this copy goes back.
                budget.release(weight(file, compress));
                return kept;
            }
        }
        return file;
    }

    /** With compress on, room for the gzip'd copy too (never larger than the file, but for a few bytes). */
    private static int weight(SmallFile file, boolean compress) {
        return compress ? 2 * file.content().length : file.content().length;
    }

    /** Its cached files go back to the node's budget. */
    @Override
    public void close() {
        smallFiles.invalidateAll();
        smallFiles.cleanUp();
    }

    private static SmallFile read(Path file) {
        try {
            byte[] content = Files.readAllBytes(file);
            return new SmallFile(content, "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content)) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String answer(RequestContext context, Prepared prepared) {
        if (prepared instanceof Refusal refusal) {
            HttpResponseStatus status = HttpResponseStatus.valueOf(refusal.status());
            context.respond(status, refusal.message());
            return refusal.result();
        }
        HttpHeaders request = context.request().headers();
        boolean small = prepared instanceof Small;
        FileResolver.Found found = small ? ((Small) prepared).found() : ((Large) prepared).found();
        long modified = small ? ((Small) prepared).modifiedMillis() : ((Large) prepared).modifiedMillis();
        long size = small ? ((Small) prepared).file().content().length : ((Large) prepared).size();
        String etag = small ? ((Small) prepared).file().etag()
                : "\"" + Long.toHexString(modified / 1000) + "-" + Long.toHexString(size) + "\"";
        if (context.isAborted()) {
            close(prepared);
            return SUCCESS;
        }
        boolean gzipHere = found.coding() == null && gzipWanted(request);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders headers = head.headers();
        // A body gzip'd here is another representation of the file: its tag is weak.
        headers.set(HttpHeaderNames.ETAG, gzipHere ? "W/" + etag : etag);
        headers.set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(modified)));
        OptionalLong maxAge = rules.maxAge(found.asked());
        maxAge.ifPresent(seconds -> headers.set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=" + seconds));
        if (varies) {
            headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        if (Validators.notModified(request, etag, modified)) {
            close(prepared);
            head.setStatus(HttpResponseStatus.NOT_MODIFIED);
            context.respond(head, BodyStream.EMPTY);
            return SUCCESS;
        }
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType(found, prepared));
        if (found.coding() != null) {
            headers.set(HttpHeaderNames.CONTENT_ENCODING, found.coding());
        }
        if (gzipHere) {
            headers.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
            return small ? answerWhole(context, head, ((Small) prepared).file().gzipped())
                    : answerStream(context, head, (Large) prepared);
        }
        headers.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        ByteRange.Request range = Validators.rangeApplies(request, etag, modified)
                ? ByteRange.parse(request.get(HttpHeaderNames.RANGE), size) : new ByteRange.Whole();
        if (range instanceof ByteRange.Unsatisfiable) {
            close(prepared);
            head.setStatus(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
            headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            context.respond(head, BodyStream.EMPTY);
            return SUCCESS;
        }
        long start = 0;
        long length = size;
        if (range instanceof ByteRange.Partial partial) {
            start = partial.range().first();
            length = partial.range().length();
            head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
            headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + partial.range().first() + "-" + partial.range().last() + "/" + size);
        }
        headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        if (small) {
            context.respond(head, new FixedBody(Unpooled.wrappedBuffer(((Small) prepared).file().content(), (int) start, (int) length)));
        } else {
            context.respond(head, new FileBody(((Large) prepared).channel(), start, length, io, context.eventLoop(), context.alloc()));
        }
        return SUCCESS;
    }

    /**
     * By the extension; a small file of a kind the extension does not tell, by its content as Go's server sniffs it (as
     * Easegress answers it). A precompressed variant's content is compressed: it goes by the extension only.
     */
    private static String contentType(FileResolver.Found found, Prepared prepared) {
        String byName = ContentTypes.of(found.askedName());
        if (!byName.equals("application/octet-stream") || found.coding() != null || !(prepared instanceof Small small)) {
            return byName;
        }
        String sniffed = ContentSniffer.of(small.file().content());
        return sniffed != null ? sniffed : byName;
    }

    private static String answerWhole(RequestContext context, HttpResponse head, byte[] body) {
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        context.respond(head, new FixedBody(Unpooled.wrappedBuffer(body)));
        return SUCCESS;
    }

    /** A large file gzip'd as it streams: its length is not known ahead, so the body goes chunked. */
    private String answerStream(RequestContext context, HttpResponse head, Large large) {
        FileBody file = new FileBody(large.channel(), 0, large.size(), io, context.eventLoop(), context.alloc());
        context.respond(head, CodedBody.encoded(file, ZlibCodecFactory.newZlibEncoder(ZlibWrapper.GZIP)));
        return SUCCESS;
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void close(Prepared prepared) {
        if (prepared instanceof Large large) {
            try {
                large.channel().close();
            } catch (IOException e) {
                // Only read from: nothing to recover.
            }
        }
    }
}
