package io.edgegate.dataplane.filter.validator;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgegate.spec.filter.validator.JwtSpec;
import io.edgegate.spec.filter.validator.SignatureSpec;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * Whatever a client puts in a token or a signature, the Validator's parsers answer with a
 * verdict (valid or refused, with a reason): never an exception, which would turn a forged
 * credential into a 500 instead of a 401.
 */
class CredentialParsersFuzzTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final JwtVerifier HMAC = new JwtVerifier(new JwtSpec("HS256", Optional.empty(),
            Optional.of("612d766572792d7365637265742d6b65792d666f722d74657374732d31323334"), Optional.empty()),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private static final RequestSignature SIGNATURE = new RequestSignature(new SignatureSpec(
            Map.of("app-1", "secret-of-app-1"), SignatureSpec.DEFAULT_TTL, false, SignatureSpec.Literal.DEFAULT));

    @FuzzTest(maxDuration = "10m")
    void anyTokenOrSignatureGetsAVerdict(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            JwtVerifier.Result result = HMAC.verify(data.consumeRemainingAsString());
            if (result == null || result.verdict() == null) {
                throw new AssertionError("a token without a verdict");
            }
            return;
        }
        // Unvalidated: the test gives values the request decoder would have refused too; the parser must not care.
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        headers.set("Authorization", data.consumeString(300));
        headers.set("X-Me-Date", data.consumeString(40));
        headers.set("Host", data.consumeString(40));
        String path = data.consumeString(100);
        String query = data.consumeString(100);
        byte[] body = data.consumeRemainingAsBytes();
        Optional<String> refusal = SIGNATURE.verify("POST", path, query, headers, body, false, NOW);
        if (refusal.isPresent() && refusal.get().isBlank()) {
            throw new AssertionError("a refusal without a reason");
        }
    }
}
