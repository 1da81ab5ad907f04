package io.edgegate.dataplane.filter.adaptor;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.spec.filter.adaptor.SignSpec;
import io.edgegate.spec.filter.validator.SignatureSpec;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RequestAdaptor sign: AWS's published Signature Version 4 test vector, and a signed request verified by a Validator. */
class RequestSignTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void awsSignatureVersion4TestSuiteGetVanilla() {
        // The "get-vanilla" case of AWS's SigV4 test suite: its credentials, time and expected signature.
        SignSpec aws = new SignSpec("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", List.of("us-east-1", "service"),
                SignatureSpec.Literal.AWS4, Set.of(), false);
        RequestSigner signer = new RequestSigner(aws, Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC));
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().set("Host", "example.amazonaws.com");
        signer.signHead(request, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true);

        assertThat(request.headers().get("X-Amz-Date")).isEqualTo("20150830T123600Z");
        assertThat(request.headers().get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 "
                + "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    @Test
    void aSignedRequestPassesTheValidatorAndATamperedOneDoesNot() throws Exception {
        int front = FreePorts.pick();
        int checking = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            String upstream = "127.0.0.1:" + checking;
            node.apply(server("front", front, "signing"), server("checking", checking, "signed-demo"),
                    example("filters/validator-signature.yaml", app.url()), """
                    name: signing
                    kind: Pipeline
                    flow:
                    - filter: sign
                    - filter: proxy
                    filters:
                    - name: sign
                      kind: RequestAdaptor
                      host: %s
                      header:
                        set:
                          X-Tenant: blue
                      sign:
                        accessKeyId: app-1
                        accessKeySecret: secret-of-app-1
                        scopes: [eu-west-1, orders]
                    - name: proxy
                      kind: Proxy
                      pools:
                      - servers:
                        - url: http://%s
                    """.formatted(upstream, upstream));

            HttpResponse<String> signed = node.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front
                    + "/orders/7?b=2&a=1%20x")).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"qty\":3}"))
                    .header("X-Forwarded-For", "198.51.100.7").build());
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
            EchoBackend.ReceivedRequest received = app.received().get(0);
            assertThat(received.header("Authorization")).startsWith("ME-HMAC-SHA256 Credential=app-1/")
                    .contains("/eu-west-1/orders/megaease_request, SignedHeaders=").contains("host").contains("x-tenant")
                    .contains("x-me-date");
            assertThat(received.body()).isEqualTo("{\"qty\":3}");

            // The same signature on another body is refused.
            HttpResponse<String> tampered = node.send(java.net.http.HttpRequest.newBuilder(URI.create("http://" + upstream
                    + "/orders/7?b=2&a=1%20x")).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"qty\":300}"))
                    .header("Authorization", received.header("Authorization")).header("X-Me-Date", received.header("X-Me-Date"))
                    .header("X-Tenant", "blue").build());
            assertThat(tampered.statusCode()).isEqualTo(401);
        }
    }
}
