package io.edgegate.dataplane.tracing;

import io.opentelemetry.api.common.AttributeKey;

/** The span attributes we set: OpenTelemetry's stable HTTP conventions, and ours under {@code edgegate.}. */
final class SemanticKeys {

    static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    static final AttributeKey<String> NETWORK_PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> EDGEGATE_SERVER = AttributeKey.stringKey("edgegate.server");
    static final AttributeKey<String> EDGEGATE_PIPELINE = AttributeKey.stringKey("edgegate.pipeline");
    static final AttributeKey<String> EDGEGATE_RESULT = AttributeKey.stringKey("edgegate.result");
    static final AttributeKey<Boolean> EDGEGATE_MIRROR = AttributeKey.booleanKey("edgegate.mirror");

    private SemanticKeys() {
    }
}
