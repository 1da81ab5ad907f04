package io.edgegate.dataplane.filter.builder;

import io.edgegate.template.BasicAuthCarrier;
import io.edgegate.template.TemplateObject;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/**
 * A namespace's request as Easegress's templates see it ({@code .requests.NS}): the fields of
 * Go's {@code *http.Request} that templates use (Method, URL, Proto, Header, Host, RemoteAddr,
 * RequestURI, ContentLength), the methods UserAgent and Referer, and the body members.
 */
final class RequestView implements TemplateObject, BasicAuthCarrier {

    private final HttpRequest request;
    private final String scheme;
    private final String remoteAddress;
    private final MessageBody body;

    RequestView(HttpRequest request, String scheme, String remoteAddress, byte[] bytes, String namespace) {
        this.request = request;
        this.scheme = scheme;
        this.remoteAddress = remoteAddress;
        this.body = new MessageBody(bytes, "request", namespace);
    }

    @Override
    public Object member(String name, List<Object> args) {
        if (!args.isEmpty()) {
            return NO_SUCH_MEMBER;
        }
        Object bodyMember = body.member(name);
        if (bodyMember != null) {
            return bodyMember;
        }
        return switch (name) {
            case "Method" -> request.method().name();
            case "URL" -> new UrlView(scheme, host(), request.uri());
            case "Proto" -> request.protocolVersion().text();
            case "ProtoMajor" -> (long) request.protocolVersion().majorVersion();
            case "ProtoMinor" -> (long) request.protocolVersion().minorVersion();
            case "Header" -> ValuesView.headers(request.headers());
            case "Host" -> host();
            case "RemoteAddr" -> remoteAddress;
            case "RequestURI" -> request.uri();
            case "ContentLength" -> contentLength();
            case "UserAgent" -> request.headers().get(HttpHeaderNames.USER_AGENT, "");
            case "Referer" -> request.headers().get(HttpHeaderNames.REFERER, "");
            default -> NO_SUCH_MEMBER;
        };
    }

    private String host() {
        return request.headers().get(HttpHeaderNames.HOST, "");
    }

    private long contentLength() {
        String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        try {
            return length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String basicAuthUsername() {
        return io.edgegate.dataplane.http.BasicAuthorization.username(request.headers().get(HttpHeaderNames.AUTHORIZATION));
    }

    @Override
    public String typeName() {
        return "*httpprot.builderRequest";
    }

    @Override
    public String toString() {
        return "&{" + request.method() + " " + request.uri() + "}";
    }
}
