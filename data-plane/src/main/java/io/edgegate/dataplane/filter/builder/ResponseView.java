package io.edgegate.dataplane.filter.builder;

import io.edgegate.template.TemplateObject;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;

/** A namespace's response as templates see it ({@code .responses.NS}): StatusCode, Status, Proto, Header, the body members. */
final class ResponseView implements TemplateObject {

    private final HttpResponse response;
    private final MessageBody body;

    ResponseView(HttpResponse response, byte[] bytes, String namespace) {
        this.response = response;
        this.body = new MessageBody(bytes, "response", namespace);
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
            case "StatusCode" -> (long) response.status().code();
            case "Status" -> response.status().code() + " " + response.status().reasonPhrase();
            case "Proto" -> response.protocolVersion().text();
            case "Header" -> ValuesView.headers(response.headers());
            case "ContentLength" -> {
                String length = response.headers().get(HttpHeaderNames.CONTENT_LENGTH);
                try {
                    yield length == null ? -1L : Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    yield -1L;
                }
            }
            default -> NO_SUCH_MEMBER;
        };
    }

    @Override
    public String typeName() {
        return "*httpprot.builderResponse";
    }

    @Override
    public String toString() {
        return "&{" + response.status() + "}";
    }
}
