package io.edgegate.dataplane.filter.validator;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.spec.filter.validator.SignatureSpec;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signature scheme against Easegress's own published vector (signed with AWS literals). */
class RequestSignatureTest {

    private static final SignatureSpec AWS = new SignatureSpec(Map.of("AKID", "SECRET"), Duration.ZERO, false,
            new SignatureSpec.Literal("aws4_request", "AWS4-HMAC-SHA256", "X-Amz-Date", "X-Amz-Content-Sha256", "AWS4"));

    private static HttpHeaders vectorHeaders(String signature) {
        HttpHeaders headers = new DefaultHttpHeaders(false);
        headers.add("Host", "dynamodb.us-east-1.amazonaws.com");
        headers.add("X-Amz-Target", "prefix.Operation");
        headers.add("Content-Type", "application/x-amz-json-1.0");
        headers.add("Content-Length", "2");
        headers.add("X-Amz-Meta-Other-Header", "some-value=!@#$%^&* (+)");
        headers.add("X-Amz-Meta-Other-Header_With_Underscore", "some-value=!@#$%^&* (+)");
        headers.add("X-amz-Meta-Other-Header_With_Underscore", "some-value=!@#$%^&* (+)");
        headers.add("X-Amz-Security-Token", "SESSION");
        headers.add("X-Amz-Date", "19700101T000000Z");
        headers.add("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/19700101/us-east-1/dynamodb/aws4_request, "
                + "SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-meta-other-header;"
                + "x-amz-meta-other-header_with_underscore;x-amz-security-token;x-amz-target, Signature=" + signature);
        return headers;
    }

    @Test
    void easegressSignerVectorVerifies() {
        RequestSignature verifier = new RequestSignature(AWS);
        HttpHeaders headers = vectorHeaders("a518299330494908a70222cec6899f6f32f297f8595f6df1776d998936652ad9");

        assertThat(verifier.verify("POST", "/bucket/key-._~,!@#$%^&*()", "", headers, "{}".getBytes(StandardCharsets.UTF_8),
                true, Instant.EPOCH)).isEmpty();
    }

    @Test
    void aChangedBodyHeaderOrOldTimestampIsRefused() {
        SignatureSpec withTtl = new SignatureSpec(AWS.accessKeys(), Duration.ofMinutes(15), false, AWS.literal());
        String sig = "a518299330494908a70222cec6899f6f32f297f8595f6df1776d998936652ad9";
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        assertThat(new RequestSignature(AWS).verify("POST", "/bucket/key-._~,!@#$%^&*()", "", vectorHeaders(sig),
                "{\"x\":1}".getBytes(StandardCharsets.UTF_8), true, Instant.EPOCH)).hasValue("the signature does not verify");
        HttpHeaders changed = vectorHeaders(sig);
        changed.set("X-Amz-Security-Token", "SESSION1");
        assertThat(new RequestSignature(AWS).verify("POST", "/bucket/key-._~,!@#$%^&*()", "", changed, body, true, Instant.EPOCH))
                .hasValue("the signature does not verify");
        assertThat(new RequestSignature(withTtl).verify("POST", "/bucket/key-._~,!@#$%^&*()", "", vectorHeaders(sig), body, true,
                Instant.EPOCH.plus(Duration.ofMinutes(16)))).hasValue("the signature has expired");
    }

    @Test
    void queriesAreCanonicalisedAsGoEncodesThem() {
        assertThat(io.edgegate.dataplane.http.SignatureV4.canonicalQuery("b=2&a=z&a=o&c=x+y&d=%2F")).isEqualTo("a=o&a=z&b=2&c=x+y&d=%2F");
        assertThat(io.edgegate.dataplane.http.SignatureV4.canonicalPath("/a b/c%20d")).isEqualTo("/a%20b/c%2520d");
    }
}
