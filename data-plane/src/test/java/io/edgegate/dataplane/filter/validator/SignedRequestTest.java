package io.edgegate.dataplane.filter.validator;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HMAC-signed requests through a real listener: a client signing as Easegress's signer does. */
class SignedRequestTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    /** Signs method, path, the host and date headers and the body, with the default ME literals. */
    private static HttpRequest signed(int port, String path, String body, String signedBody, Instant at, String extra) throws Exception {
        String time = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(at);
        String date = time.substring(0, 8);
        String host = "127.0.0.1:" + port;
        String canonical = "POST\n" + path + "\n\nhost:" + host + "\nx-me-date:" + time + "\nx-me-tenant:" + extra + "\n\n"
                + "host;x-me-date;x-me-tenant\n" + io.edgegate.dataplane.http.SignatureV4.sha256Hex(signedBody.getBytes(StandardCharsets.UTF_8));
        String scope = date + "/orders/megaease_request";
        String toSign = "ME-HMAC-SHA256\n" + time + "\n" + scope + "\n"
                + io.edgegate.dataplane.http.SignatureV4.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(hmac(hmac("MEsecret-of-app-1".getBytes(StandardCharsets.UTF_8), date), "orders"), "megaease_request");
        String signature = HexFormat.of().formatHex(hmac(key, toSign));
        return HttpRequest.newBuilder(URI.create("http://" + host + path))
                .header("X-Me-Date", time)
                .header("X-Me-Tenant", "acme")
                .header("Authorization", "ME-HMAC-SHA256 Credential=app-1/" + scope + ", SignedHeaders=host;x-me-date;x-me-tenant, Signature=" + signature)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    @Test
    void aValidSignaturePassesAndChangedBodiesHeadersOrOldTimestampsDoNot() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "signed-demo"), example("filters/validator-signature.yaml", app.url()));
            Instant now = Instant.now();

            HttpResponse<String> valid = node.send(signed(port, "/orders", "{\"qty\":1}", "{\"qty\":1}", now, "acme"));
            HttpResponse<String> otherBody = node.send(signed(port, "/orders", "{\"qty\":9}", "{\"qty\":1}", now, "acme"));
            HttpResponse<String> otherHeader = node.send(signed(port, "/orders", "{\"qty\":1}", "{\"qty\":1}", now, "evil"));
            HttpResponse<String> old = node.send(signed(port, "/orders", "{\"qty\":1}", "{\"qty\":1}", now.minusSeconds(600), "acme"));

            assertThat(valid.statusCode()).isEqualTo(200);
            assertThat(app.received()).hasSize(1);
            assertThat(app.received().get(0).body()).isEqualTo("{\"qty\":1}");
            assertThat(otherBody.statusCode()).isEqualTo(401);
            assertThat(otherBody.body()).contains("does not verify");
            assertThat(otherHeader.statusCode()).isEqualTo(401);
            assertThat(old.statusCode()).isEqualTo(401);
            assertThat(old.body()).contains("expired");
        }
    }
}
