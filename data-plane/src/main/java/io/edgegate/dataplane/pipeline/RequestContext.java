package io.edgegate.dataplane.pipeline;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.http.PlainResponses;
import io.edgegate.dataplane.tracing.RequestTrace;
import io.edgegate.spec.pipeline.FlowStep;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.util.Arrays;
import java.util.LinkedHashMap;

/**
 * One request on its way through a pipeline: the client's request head and its body (a
 * stream, read only as fast as it is consumed), where it came from, the settings of the
 * server that accepted it, and the response built so far. It lives on one event loop and is
 * not shared between threads.
 */
public final class RequestContext {

    /** DEFAULT's request: the client's, unless a RequestBuilder in DEFAULT made another. */
    private HttpRequest request;
    private final HttpRequest clientRequest;
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
    /** The step's namespace; empty for DEFAULT (Easegress v2). */
    private String namespace = "";
    /** The other namespaces; null until a step names one. */
    private Namespaces namespaces;
    /** DEFAULT's request and response bodies once a builder read them whole. */
    private byte[] requestBytes;
    private byte[] responseBytes;
    /** What templates see as {@code .data}; null until a pipeline or DataBuilder puts something. */
    private Map<String, Object> data;
    /** The pathPrefix of the route that matched (RedirectorV2 replaces it); empty for other routes. */
    private String routePathPrefix = "";
    /** The last flow run ended on END rather than past its last step (GlobalFilter decides by it). */
    private boolean flowEndedOnResult;
    /** The config's pipelines, for filters that call other pipelines (APIAggregator); null outside a server. */
    private Pipelines pipelines;
    /** How many pipeline calls deep this request is (an aggregator calling an aggregator…). */
    private int callDepth;

    /** How the client reached us: scheme and protocol of the downstream connection. */
    public record Connection(String scheme, boolean http2) {
    }

    public RequestContext(HttpRequest request, BodyStream requestBody, Channel channel, InetSocketAddress clientAddress,
                          ServerSettings server, Connection connection) {
        this.request = request;
        this.clientRequest = request;
        this.requestBody = requestBody;
        this.channel = channel;
        this.clientAddress = clientAddress;
        this.server = server;
        this.connection = connection;
    }

    /**
     * The request head of the step's namespace; filters may change its method, URI and headers
     * before it is proxied. A namespace no RequestBuilder has made a request for has none: the
     * filter fails, and the flow says which namespace.
     */
    public HttpRequest request() {
        if (namespace.isEmpty()) {
            return request;
        }
        Namespaces.Space space = namespaces.existing(namespace);
        if (space == null || space.request == null) {
            throw new IllegalStateException("namespace '" + namespace + "' has no request: make one with a RequestBuilder "
                    + "(template or sourceNamespace) before this step");
        }
        return space.request;
    }

    /** The length of the step's namespace's request body, -1 when unknown; the body stays where it is. */
    public long requestBodyLength() {
        if (namespace.isEmpty()) {
            return requestBody.contentLength();
        }
        request();
        return namespaces.existing(namespace).requestLength();
    }

    /** The request body of the step's namespace; consumed at most once (the Proxy streams it upstream). */
    public BodyStream requestBody() {
        if (namespace.isEmpty()) {
            return requestBody;
        }
        request();
        return namespaces.existing(namespace).takeRequestBody();
    }

    /**
     * Gives the step's request a new body (e.g. an adaptor's). The caller discards the old one
     * first; the connection still drains what the client sends of it.
     */
    public void replaceRequestBody(BodyStream body) {
        if (namespace.isEmpty()) {
            this.requestBody = body;
            this.requestBytes = null;
        } else {
            Namespaces.Space space = namespaces.space(namespace);
            space.requestBody = body;
            space.requestBytes = null;
        }
    }

    /** The namespace the current step works in: {@code DEFAULT} or the name its flow step gives. */
    public String namespace() {
        return namespace.isEmpty() ? FlowStep.DEFAULT_NAMESPACE : namespace;
    }

    /** The engine runs the next step in {@code name} (empty: DEFAULT). */
    void useNamespace(String name) {
        if (!name.isEmpty() && namespaces == null) {
            namespaces = new Namespaces();
        }
        namespace = name;
    }

    /** DEFAULT, then every other namespace that has a request or a response, in the order they were made. */
    public List<String> namespaceNames() {
        List<String> names = new ArrayList<>();
        names.add(FlowStep.DEFAULT_NAMESPACE);
        if (namespaces != null) {
            namespaces.all().forEach((name, space) -> {
                if (space.request != null || space.response != null) {
                    names.add(name);
                }
            });
        }
        return names;
    }

    private static boolean isDefault(String name) {
        return name.isEmpty() || name.equals(FlowStep.DEFAULT_NAMESPACE);
    }

    private Namespaces.Space spaceOf(String name) {
        return namespaces == null ? null : namespaces.existing(name);
    }

    /** The request of namespace {@code name}, or null. */
    public HttpRequest requestOf(String name) {
        if (isDefault(name)) {
            return request;
        }
        Namespaces.Space space = spaceOf(name);
        return space == null ? null : space.request;
    }

    /** The response of namespace {@code name}, or null. */
    public Response responseOf(String name) {
        if (isDefault(name)) {
            return response;
        }
        Namespaces.Space space = spaceOf(name);
        return space == null ? null : space.response;
    }

    /** The request body of {@code name} if it was read whole, else null. */
    public byte[] requestBytesOf(String name) {
        if (isDefault(name)) {
            return requestBytes;
        }
        Namespaces.Space space = spaceOf(name);
        return space == null ? null : space.requestBytes;
    }

    /** The response body of {@code name} if it was read whole, else null. */
    public byte[] responseBytesOf(String name) {
        if (isDefault(name)) {
            return responseBytes;
        }
        Namespaces.Space space = spaceOf(name);
        return space == null ? null : space.responseBytes;
    }

    /** Takes the request body of {@code name} to read it whole; {@link #keepRequestBytes} puts it back. */
    public BodyStream takeRequestBodyOf(String name) {
        if (isDefault(name)) {
            BodyStream body = requestBody;
            requestBody = BodyStream.EMPTY;
            return body;
        }
        Namespaces.Space space = spaceOf(name);
        BodyStream body = space.requestBody;
        space.requestBody = BodyStream.EMPTY;
        return body;
    }

    /** Puts back a request body taken with {@link #takeRequestBodyOf} that was not read after all. */
    public void replaceRequestBodyOf(String name, BodyStream body) {
        if (isDefault(name)) {
            requestBody = body;
        } else {
            namespaces.space(name).requestBody = body;
        }
    }

    /** A request body read whole: kept as bytes, and replayed to whoever sends the request. */
    public void keepRequestBytes(String name, byte[] bytes) {
        if (isDefault(name)) {
            requestBytes = bytes;
            requestBody = new FixedBody(Unpooled.wrappedBuffer(bytes));
        } else {
            namespaces.space(name).requestBytes = bytes;
        }
    }

    /** A response body read whole: kept as bytes, and still written to the client if it is DEFAULT's. */
    public void keepResponseBytes(String name, byte[] bytes) {
        if (isDefault(name)) {
            responseBytes = bytes;
            response = new Response(response.head(), new FixedBody(Unpooled.wrappedBuffer(bytes)));
        } else {
            Namespaces.Space space = namespaces.space(name);
            space.responseBytes = bytes;
            space.response = new Response(space.response.head(), new FixedBody(Unpooled.wrappedBuffer(bytes)));
        }
    }

    /** A RequestBuilder's request becomes the step namespace's request (DEFAULT's too: the Proxy then sends it). */
    public void buildRequest(HttpRequest head, byte[] body) {
        if (namespace.isEmpty()) {
            requestBody.discard();
            request = head;
            keepRequestBytes("", body);
        } else {
            Namespaces.Space space = namespaces.space(namespace);
            space.requestBody.discard();
            space.requestBody = BodyStream.EMPTY;
            space.request = head;
            space.requestBytes = body;
        }
    }

    /**
     * The step's namespace gets the request of {@code source}: a copy of its body when it was read whole, else (a body
     * too large to hold) the body itself, which {@code source} no longer has, as Easegress shares a stream body.
     */
    public void copyRequest(String source) {
        HttpRequest head = requestOf(source);
        if (head == null || isDefault(source) && namespace.isEmpty() || source.equals(namespace)) {
            return;
        }
        byte[] body = requestBytesOf(source);
        if (body != null) {
            buildRequest(copyOf(head), body);
            return;
        }
        BodyStream stream = takeRequestBodyOf(source);
        buildRequest(copyOf(head), new byte[0]);
        if (namespace.isEmpty()) {
            requestBytes = null;
            requestBody = stream;
        } else {
            Namespaces.Space space = namespaces.space(namespace);
            space.requestBytes = null;
            space.requestBody = stream;
        }
    }

    private static HttpRequest copyOf(HttpRequest head) {
        HttpRequest copy = new io.netty.handler.codec.http.DefaultHttpRequest(head.protocolVersion(), head.method(), head.uri());
        copy.headers().set(head.headers());
        return copy;
    }

    /** A ResponseBuilder's response replaces the step namespace's response, as Easegress sets an output response. */
    public void buildResponse(HttpResponse head, byte[] body) {
        Response built = new Response(head, new FixedBody(Unpooled.wrappedBuffer(body)));
        if (namespace.isEmpty()) {
            if (response != null) {
                response.body().discard();
            }
            response = built;
            responseBytes = body;
            answerReplaceable = false;
            answeredBy = step;
        } else {
            Namespaces.Space space = namespaces.space(namespace);
            if (space.response != null) {
                space.response.body().discard();
            }
            space.response = built;
            space.responseBytes = body;
        }
    }

    /** The step's namespace gets the response of {@code source} (its body must have been read whole). */
    public void copyResponse(String source) {
        Response from = responseOf(source);
        if (from == null || isDefault(source) && namespace.isEmpty() || source.equals(namespace)) {
            return;
        }
        byte[] body = responseBytesOf(source);
        HttpResponse head = new DefaultHttpResponse(from.head().protocolVersion(), from.head().status());
        head.headers().set(from.head().headers());
        buildResponse(head, body == null ? new byte[0] : body);
    }

    /**
     * Answers the client with {@code status} unless DEFAULT already has an answer: what a step
     * that failed in another namespace leaves the client with.
     */
    public void answerIfUnanswered(HttpResponseStatus status, String message) {
        if (response == null) {
            FullHttpResponse full = PlainResponses.of(alloc(), status, message);
            response = new Response(new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers()),
                    new FixedBody(full.content()));
            answeredBy = step;
        }
    }

    /** What templates see as {@code .data}: the pipeline's {@code data} as PIPELINE, and what DataBuilders made. */
    public Map<String, Object> data() {
        return data == null ? Map.of() : data;
    }

    public void putData(String key, Object value) {
        if (data == null) {
            data = new LinkedHashMap<>();
        }
        data.put(key, value);
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
            client = server.clients().clientOf(clientAddress, clientRequest.headers());
        }
        return client;
    }

    /**
     * The certificates the client presented over TLS (its own first), or none: a cleartext
     * connection, or TLS without a client certificate. On HTTP/2 the TLS is the parent connection's.
     */
    public Certificate[] peerCertificates() {
        for (Channel c = channel; c != null; c = c.parent()) {
            SslHandler tls = c.pipeline().get(SslHandler.class);
            if (tls != null) {
                try {
                    return tls.engine().getSession().getPeerCertificates();
                } catch (SSLPeerUnverifiedException e) {
                    return new Certificate[0];
                }
            }
        }
        return new Certificate[0];
    }

    /** The pipelines of the config generation serving this request. */
    public void pipelines(Pipelines generation) {
        this.pipelines = generation;
    }

    /** The pipeline called {@code name} in this request's config, or null. */
    public Pipeline pipeline(String name) {
        return pipelines == null ? null : pipelines.get(name);
    }

    /** How many pipeline calls deep this request is: 0 for a client's request. */
    public int callDepth() {
        return callDepth;
    }

    /**
     * A request of this one's client, connection and config for another pipeline to handle (an
     * APIAggregator's call), one call deeper.
     */
    public RequestContext subRequest(HttpRequest head, BodyStream body) {
        RequestContext sub = new RequestContext(head, body, channel, clientAddress, server, connection);
        sub.pipelines = pipelines;
        sub.callDepth = callDepth + 1;
        sub.trace = trace;
        return sub;
    }

    void flowEndedOnResult(boolean ended) {
        flowEndedOnResult = ended;
    }

    boolean flowEndedOnResult() {
        return flowEndedOnResult;
    }

    /** The pathPrefix of the HTTPServer path that routed this request, or empty when it matched otherwise. */
    public String routePathPrefix() {
        return routePathPrefix;
    }

    public void routed(String pathPrefix) {
        this.routePathPrefix = pathPrefix;
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
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[2 * valueCount] = key;
        values[2 * valueCount + 1] = value;
        valueCount++;
    }

    /** {@link #client()} as text: the socket peer's IP, or behind a trusted proxy the address it forwarded for. */
    public String clientText() {
        InetAddress c = client();
        return c == clientAddress.getAddress() || c.equals(clientAddress.getAddress()) ? clientIp() : c.getHostAddress();
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
        if (!namespace.isEmpty()) {
            // Another namespace's response is a result to build from, not the client's answer: no second-answer rule.
            Namespaces.Space space = namespaces.space(namespace);
            if (space.response != null && space.response.body() != newResponse.body()) {
                space.response.body().discard();
            }
            space.response = newResponse;
            space.responseBytes = null;
            return;
        }
        ensureUnanswered();
        if (response != null && response.body() != newResponse.body()) {
            response.body().discard();
        }
        response = newResponse;
        responseBytes = null;
        answerReplaceable = false;
        answeredBy = step;
    }

    /**
     * Fails with {@link SecondAnswerException} if the request is answered and the flow did not
     * jump from that answer: a filter calls it before work that only makes sense if it will
     * answer (the Proxy, before it sends the request upstream).
     */
    public void ensureUnanswered() {
        if (namespace.isEmpty() && response != null && !answerReplaceable) {
            throw new SecondAnswerException(answeredBy, step);
        }
    }

    /**
     * Puts a revised form of the current answer in its place (a new body or head made from it,
     * e.g. by a ResponseAdaptor); not a second answer. Whoever revises owns the old body.
     */
    public void reviseResponse(Response revised) {
        if (!namespace.isEmpty()) {
            Namespaces.Space space = namespaces.space(namespace);
            if (space.response == null) {
                throw new IllegalStateException("no response to revise in namespace '" + namespace + "'");
            }
            space.response = revised;
            space.responseBytes = null;
            return;
        }
        if (response == null) {
            throw new IllegalStateException("no answer to revise");
        }
        response = revised;
        responseBytes = null;
    }

    /**
     * The flow jumped on a result of the step that answered (or a GlobalFilter falls through to
     * the next pipeline): what comes next may answer instead.
     */
    public void answerMayBeReplaced() {
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

    /** The response of the step's namespace, if a filter has set one. */
    public Response response() {
        if (!namespace.isEmpty()) {
            Namespaces.Space space = namespaces.existing(namespace);
            return space == null ? null : space.response;
        }
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

    /** As {@link #takeResponse(HttpResponseStatus)}, a flow that set none answering 200. */
    public Response takeResponse() {
        return takeResponse(HttpResponseStatus.OK);
    }

    /**
     * Hands the response over to the connection, which writes it. A flow that set none answers
     * {@code whenNone} with an empty body (its pipeline's {@link Pipeline#unansweredStatus}).
     */
    public Response takeResponse(HttpResponseStatus whenNone) {
        if (namespaces != null) {
            namespaces.discardAll();
        }
        Response out = response;
        response = null;
        if (out == null) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, whenNone);
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
        if (namespaces != null) {
            namespaces.discardAll();
        }
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
