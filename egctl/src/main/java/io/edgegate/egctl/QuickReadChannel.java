package io.edgegate.egctl;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Read-only unary calls (methods the API marks free of side effects) over the JDK's own HTTP/2
 * client, everything else over {@code fallback} (gRPC's Netty transport). An egctl that only
 * reads then never loads Netty or gRPC's transport, which is most of its start-up time.
 *
 * <p>The JDK's client does not expose HTTP trailers, where gRPC puts the status of a call that
 * sent a message: a response with one whole message is taken as OK, and a status the server
 * sent without a message (errors: "trailers only") is read from the headers. Whatever else
 * happens — the connection or TLS fails, no message and no status, not HTTP/2 — the call is made
 * again over {@code fallback}, which reports it as gRPC always has. That repeat is safe only
 * because these calls change nothing.
 */
final class QuickReadChannel extends Channel {

    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** What a call says when no connection (TCP and TLS) was made in time; {@link Errors} recognises it. */
    static final String CONNECT_TIMEOUT_MESSAGE = "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
    private static final java.util.regex.Pattern CLIENT_NUMBER = java.util.regex.Pattern.compile("HttpClientImpl@\\p{XDigit}+\\((\\d+)\\)$");

    private final String authority;
    private final HttpClient http;
    private final Supplier<Channel> fallback;

    QuickReadChannel(String server, SSLContext tls, Supplier<Channel> fallback) {
        this.authority = server;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(tls)
                .connectTimeout(CONNECT_TIMEOUT).build();
        this.fallback = fallback;
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
        if (method.getType() != MethodDescriptor.MethodType.UNARY || !method.isSafe()) {
            return fallback.get().newCall(method, options);
        }
        return new QuickCall<>(method, options);
    }

    @Override
    public String authority() {
        return authority;
    }

    /**
     * Stops the HTTP client's selector thread. While it waits in epoll it counts as running native
     * code, and the JVM's exit waits 0.3 s for such threads. JDK 21's client closes; JDK 17's has no
     * close, but its selector thread ends when interrupted. That thread is found by the name JDK 17
     * gives it, from the client's number in its toString ("...HttpClientImpl@1b2c3d(7)" runs
     * "HttpClient-7-SelectorManager"): only this client's, never another one's in the same JVM.
     * Named otherwise, nothing is interrupted and the exit just takes longer.
     */
    void close() {
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Closing at the end of a command: nothing left to report.
            }
            return;
        }
        java.util.regex.Matcher number = CLIENT_NUMBER.matcher(http.toString());
        if (!number.find()) {
            return;
        }
        String selector = "HttpClient-" + number.group(1) + "-SelectorManager";
        Thread[] threads = new Thread[Thread.activeCount() + 8];
        int count = Thread.currentThread().getThreadGroup().enumerate(threads);
        for (int i = 0; i < count; i++) {
            if (threads[i].getName().equals(selector)) {
                threads[i].interrupt();
            }
        }
    }

    private final class QuickCall<Q, R> extends ClientCall<Q, R> {

        private final MethodDescriptor<Q, R> method;
        private final CallOptions options;
        private final Executor callbacks;
        private Listener<R> listener;
        private Metadata headers;
        private Q message;
        private CompletableFuture<HttpResponse<byte[]>> sent;

        QuickCall(MethodDescriptor<Q, R> method, CallOptions options) {
            this.method = method;
            this.options = options;
            // Blocking stubs wait on their own executor: the listener must be called through it.
            this.callbacks = options.getExecutor() != null ? options.getExecutor() : Runnable::run;
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
            this.listener = listener;
            this.headers = headers;
        }

        @Override
        public void request(int messages) {
            // One response message, delivered when it has arrived whole.
        }

        @Override
        public void sendMessage(Q message) {
            this.message = message;
        }

        @Override
        public void halfClose() {
            byte[] body;
            try (InputStream in = method.streamRequest(message)) {
                body = framed(in.readAllBytes());
            } catch (IOException e) {
                callbacks.execute(() -> listener.onClose(Status.INTERNAL.withDescription("cannot encode the request").withCause(e),
                        new Metadata()));
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + authority + "/" + method.getFullMethodName()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("content-type", "application/grpc")
                    .header("te", "trailers");
            for (String key : headers.keys()) {
                if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                    for (String value : headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
                        request.header(key, value);
                    }
                }
            }
            Deadline deadline = options.getDeadline();
            if (deadline != null) {
                long millis = Math.max(1, deadline.timeRemaining(TimeUnit.MILLISECONDS));
                request.timeout(Duration.ofMillis(millis)).header("grpc-timeout", Math.min(millis, 99_999_999) + "m");
            }
            sent = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            sent.whenComplete((response, failure) -> callbacks.execute(() -> answer(response, failure)));
        }

        private void answer(HttpResponse<byte[]> response, Throwable failure) {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof java.net.http.HttpConnectTimeoutException) {
                    // Gone through again, the same silence would take as long once more, and be named a TLS failure.
                    listener.onClose(Status.UNAVAILABLE.withDescription(CONNECT_TIMEOUT_MESSAGE).withCause(cause), new Metadata());
                } else if (cause instanceof HttpTimeoutException) {
                    listener.onClose(Status.DEADLINE_EXCEEDED.withCause(cause), new Metadata());
                } else if (cause instanceof java.util.concurrent.CancellationException) {
                    listener.onClose(Status.CANCELLED, new Metadata());
                } else {
                    again();
                }
                return;
            }
            String contentType = response.headers().firstValue("content-type").orElse("");
            if (response.version() != HttpClient.Version.HTTP_2 || response.statusCode() != 200
                    || !contentType.startsWith("application/grpc")) {
                again();
                return;
            }
            var status = response.headers().firstValue("grpc-status");
            if (status.isPresent()) {
                if (!status.get().trim().matches("\\d{1,2}")) {
                    // Not a status gRPC sends: let its own transport say what this is.
                    again();
                    return;
                }
                Status sent = Status.fromCodeValue(Integer.parseInt(status.get().trim()))
                        .withDescription(response.headers().firstValue("grpc-message").map(QuickCall::percentDecoded).orElse(null));
                listener.onClose(sent, new Metadata());
                return;
            }
            R parsed = onlyMessage(response.body());
            if (parsed == null) {
                again();
                return;
            }
            listener.onHeaders(new Metadata());
            listener.onMessage(parsed);
            listener.onClose(Status.OK, new Metadata());
        }

        /** The one uncompressed message of a whole response body; null for anything else. */
        private R onlyMessage(byte[] body) {
            if (body.length < 5 || body[0] != 0) {
                return null;
            }
            int length = ByteBuffer.wrap(body, 1, 4).getInt();
            if (length < 0 || length > MAX_MESSAGE_BYTES || 5 + length != body.length) {
                return null;
            }
            return method.parseResponse(new ByteArrayInputStream(body, 5, length));
        }

        /** The same call over the fallback transport: it reports what went wrong as gRPC always has. */
        private void again() {
            ClientCall<Q, R> call = fallback.get().newCall(method, options);
            call.start(listener, headers);
            call.request(1);
            call.sendMessage(message);
            call.halfClose();
        }

        @Override
        public void cancel(String reason, Throwable cause) {
            if (sent != null) {
                sent.cancel(true);
            }
        }

        private static byte[] framed(byte[] message) {
            return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
        }

        /** grpc-message is percent-encoded UTF-8. */
        private static String percentDecoded(String value) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '%' && i + 2 < value.length()) {
                    try {
                        out.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                        i += 2;
                        continue;
                    } catch (NumberFormatException e) {
                        // Not an escape: kept as it is.
                    }
                }
                out.write(c);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
