package io.edgegate.dataplane.pipeline;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.http.PlainResponses;
import io.edgegate.dataplane.tracing.RequestTrace;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One request on its way through a pipeline: the client's request head and its body (a
 * stream, read only as fast as it is consumed), where it came from, the settings of the
 * server that accepted it, and the response built so far. It lives on one event loop and is
 * not shared between threads.
 */
public final class RequestContext {

    private final HttpRequest request;
    private BodyStream requestBody;
    private final Channel channel;
    private final InetSocketAddress clientAddress;
    private String clientIp;
    private final ServerSettings server;
    private final Connection connection;
    private final List<Runnable> abortHooks = new ArrayList<>(1);
    private List<Consumer<HttpResponse>> responseHooks;
    private Response response;
    /** The flow jumped away from the answer given so far: the next answer replaces it. */
    private boolean answerReplaceable;
    private String step = "";
    private String endedBy = "";
    private String endResult = "";
    private String answeredBy;
    private boolean aborted;
    private InetAddress client;
    private RequestTrace trace = RequestTrace.NONE;
    private int responseFlags;
    /** Values filters handed on, as key, value, key, value…; allocated when the first is put. */
    private Object[] values;
    private int valueCount;

    /** How the client reached us: scheme and protocol of the downstream connection. */
    public record Connection(String scheme, boolean http2) {
    }

    public RequestContext(HttpRequest request, BodyStream requestBody, Channel channel, InetSocketAddress clientAddress,
                          ServerSettings server, Connection connection) {
        this.request = request;
        this.requestBody = requestBody;
        this.channel = channel;
        this.clientAddress = clientAddress;
        this.server = server;
        this.connection = connection;
    }

    /** The request head; filters may change its method, URI and headers before it is proxied. */
    public HttpRequest request() {
        return request;
    }

    /** The request body; consumed at most once (the Proxy streams it upstream). */
    public BodyStream requestBody() {
        return requestBody;
    }

    /**
     * Gives the request a new body (e.g. an adaptor's). The caller discards the old one first;
     * the connection still drains what the client sends of it.
     */
    public void replaceRequestBody(BodyStream body) {
        this.requestBody = body;
    }

    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    public InetSocketAddress clientAddress() {
        return clientAddress;
    }

    /**
     * The client: the socket's peer, or, behind a trusted proxy (the server's
     * {@code trustedProxies}), the address that proxy forwarded for. What IP filters and IP
     * hashing go by.
     */
    public InetAddress client() {
        if (client == null) {
            client = server.clients().clientOf(clientAddress, request.headers());
        }
        return client;
    }

    /** The request's trace: filters' results become its events, the Proxy's requests its CLIENT spans. */
    public RequestTrace trace() {
        return trace;
    }

    public void traced(RequestTrace requestTrace) {
        this.trace = requestTrace;
    }

    /** Marks why the request ends as it does (for the access log). */
    public void flag(ResponseFlag flag) {
        responseFlags |= flag.bit();
    }

    /** A filter returned {@code result}: the results with a meaning of their own are flagged. */
    void noteResult(String result) {
        if (result != null && !result.isEmpty()) {
            responseFlags |= ResponseFlag.ofResult(result);
        }
    }

    /** The {@link ResponseFlag} bits marked so far. */
    public int responseFlags() {
        return responseFlags;
    }

    /** The value filters handed on under {@code key}, or the key's value for when none was. */
    @SuppressWarnings("unchecked")
    public <T> T get(ContextKey<T> key) {
        for (int i = 0; i < valueCount; i++) {
            if (values[2 * i] == key) {
                return (T) values[2 * i + 1];
            }
        }
        return key.whenAbsent();
    }

    /** Hands {@code value} on to later filters under {@code key}, replacing what was there. */
    public <T> void put(ContextKey<T> key, T value) {
        for (int i = 0; i < valueCount; i++) {
            if (values[2 * i] == key) {
                values[2 * i + 1] = value;
                return;
            }
        }
        // A handful of keys per request at most: a linear scan beats hashing, and nothing is allocated until one is put.
        if (values == null) {
            values = new Object[8];
        } else if (2 * valueCount == values.length) {
            values = java.util.Arrays.copyOf(values, values.length * 2);
        }
        values[2 * valueCount] = key;
        values[2 * valueCount + 1] = value;
        valueCount++;
    }

    /** The socket peer's IP, the hop that {@code X-Forwarded-For} gets appended with. */
    public String clientIp() {
        // Formatted once per request: the forwarded headers and the access log both ask.
        if (clientIp == null) {
            clientIp = clientAddress.getAddress() == null ? clientAddress.getHostString() : clientAddress.getAddress().getHostAddress();
        }
        return clientIp;
    }

    public ServerSettings server() {
        return server;
    }

    public Connection connection() {
        return connection;
    }

    /**
     * Answers the request. A request has one answer: answering one that is already answered
     * fails with {@link SecondAnswerException} (the filter fails, the client gets 500, the
     * failure is counted), unless the flow jumped from the earlier answer to this filter.
     */
    public void respond(Response newResponse) {
        ensureUnanswered();
        if (response != null && response.body() != newResponse.body()) {
            response.body().discard();
        }
        response = newResponse;
        answerReplaceable = false;
        answeredBy = step;
    }

    /**
     * Fails with {@link SecondAnswerException} if the request is answered and the flow did not
     * jump from that answer: a filter calls it before work that only makes sense if it will
     * answer (the Proxy, before it sends the request upstream).
     */
    public void ensureUnanswered() {
        if (response != null && !answerReplaceable) {
            throw new SecondAnswerException(answeredBy, step);
        }
    }

    /**
     * Puts a revised form of the current answer in its place (a new body or head made from it,
     * e.g. by a ResponseAdaptor); not a second answer. Whoever revises owns the old body.
     */
    public void reviseResponse(Response revised) {
        if (response == null) {
            throw new IllegalStateException("no answer to revise");
        }
        response = revised;
    }

    /** The flow jumped on a result of the step that answered: the step it jumped to may answer instead. */
    void answerMayBeReplaced() {
        answerReplaceable = true;
    }

    /** The engine runs the step of filter {@code filterName} next: named in second-answer errors. */
    void enterStep(String filterName) {
        step = filterName;
    }

    /** The flow ended on a result: which filter returned it, and what (for the access log). */
    void endedBy(String filterName, String result) {
        endedBy = filterName;
        endResult = result;
    }

    /** The filter whose result ended the flow, or empty when the flow ran to its end. */
    public String endedBy() {
        return endedBy;
    }

    /** The result that ended the flow, or empty. */
    public String endResult() {
        return endResult;
    }

    public void respond(HttpResponse head, BodyStream body) {
        respond(new Response(head, body));
    }

    public void respond(FullHttpResponse full) {
        HttpResponse head = new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers());
        respond(head, new FixedBody(full.content()));
    }

    public void respond(HttpResponseStatus status, String message) {
        respond(PlainResponses.of(alloc(), status, message));
    }

    /** The response, if a filter has set one. */
    public Response response() {
        return response;
    }

    /**
     * Registers a change to make to the response head when it is handed to the connection,
     * whichever filter produced it (e.g. CORS headers added to the upstream's answer).
     */
    public void beforeResponse(Consumer<HttpResponse> hook) {
        if (responseHooks == null) {
            responseHooks = new ArrayList<>(2);
        }
        responseHooks.add(hook);
    }

    /**
     * Hands the response over to the connection, which writes it. A pipeline that set none
     * answers 200 with an empty body, as Easegress does.
     */
    public Response takeResponse() {
        Response out = response;
        response = null;
        if (out == null) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            out = new Response(head, BodyStream.EMPTY);
        }
        if (responseHooks != null) {
            for (Consumer<HttpResponse> hook : responseHooks) {
                hook.accept(out.head());
            }
        }
        return out;
    }

    /** Registers work to undo if the client goes away before the exchange ends (e.g. close an upstream connection). */
    public void onAbort(Runnable hook) {
        if (aborted) {
            hook.run();
        } else {
            abortHooks.add(hook);
        }
    }

    /** The client went away: run the abort hooks and drop any response not yet taken. */
    public void abort() {
        if (aborted) {
            return;
        }
        aborted = true;
        abortHooks.forEach(Runnable::run);
        abortHooks.clear();
        if (response != null) {
            response.body().discard();
            response = null;
        }
    }

    public boolean isAborted() {
        return aborted;
    }
}
