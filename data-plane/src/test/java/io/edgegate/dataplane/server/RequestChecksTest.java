package io.edgegate.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a request head must satisfy before routing: each refusal with its status and reason. */
class RequestChecksTest {

    private static HttpRequest request(HttpVersion version, String uri, String... headers) {
        HttpRequest request = new DefaultHttpRequest(version, HttpMethod.POST, uri);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static String verdict(HttpRequest request) {
        Optional<RequestChecks.Refusal> refusal = RequestChecks.check(request);
        return refusal.map(r -> r.status().code() + " " + r.reason()).orElse("accepted");
    }

    /** As Go's server (Easegress): a path with a broken percent-escape is refused, a query with one is the upstream's. */
    @Test
    void aBrokenPercentEscapeInThePathIs400() {
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/%61dmin/%zz", "Host", "a"))).isEqualTo("400 the path holds a broken percent-escape");
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/a%", "Host", "a"))).startsWith("400 ");
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/a%2", "Host", "a"))).startsWith("400 ");
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/%61dmin/%FF?q=%zz", "Host", "a"))).isEqualTo("accepted");
    }

    @Test
    void aPlainRequestIsAccepted() {
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/orders", "Host", "shop.example:8080", "Content-Length", "5")))
                .isEqualTo("accepted");
        assertThat(verdict(request(HttpVersion.HTTP_1_0, "/orders"))).as("HTTP/1.0 needs no Host").isEqualTo("accepted");
    }

    @Test
    void aVersionOtherThanHttp1IsRefusedAs505AsGoRefusesIt() {
        assertThat(verdict(request(HttpVersion.valueOf("HTTP/2.0"), "/", "Host", "a"))).isEqualTo("505 unsupported protocol version");
        assertThat(verdict(request(HttpVersion.valueOf("HTTP/3.0"), "/", "Host", "a"))).isEqualTo("505 unsupported protocol version");
        assertThat(verdict(request(HttpVersion.valueOf("HTTP/1.2"), "/", "Host", "a"))).isEqualTo("accepted");
    }

    @Test
    void aBodyThatCouldBeReadTwoWaysIsRefused() {
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/", "Host", "a", "Content-Length", "5", "Transfer-Encoding", "chunked")))
                .isEqualTo("400 both Content-Length and Transfer-Encoding");
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/", "Host", "a", "Content-Length", "5", "Content-Length", "6")))
                .isEqualTo("400 more than one Content-Length");
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/", "Host", "a", "Content-Length", "5, 5")))
                .isEqualTo("400 more than one Content-Length");
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/", "Host", "a", "Transfer-Encoding", "gzip, chunked")))
                .isEqualTo("400 unsupported Transfer-Encoding");
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/", "Host", "a", "Transfer-Encoding", "Chunked")))
                .isEqualTo("accepted");
    }

    @Test
    void theHostMustBeThereOnceAndWellFormed() {
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/"))).isEqualTo("400 missing Host header");
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/", "Host", "a", "Host", "b"))).isEqualTo("400 more than one Host header");
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/", "Host", "a b")))
                .isEqualTo("400 the Host header is not a valid host[:port]");
        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/", "Host", "[::1]:8080"))).isEqualTo("accepted");
    }

    @Test
    void tooManyHeadersAreRefusedAs431() {
        String[] headers = new String[2 * (RequestChecks.MAX_HEADERS + 1)];
        headers[0] = "Host";
        headers[1] = "a";
        for (int i = 1; i <= RequestChecks.MAX_HEADERS; i++) {
            headers[2 * i] = "X-H" + i;
            headers[2 * i + 1] = "v";
        }

        assertThat(verdict(request(HttpVersion.HTTP_1_1, "/", headers))).isEqualTo("431 more than 100 headers");
    }

    @Test
    void anHttp2PathMustBeAPath() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "http://a/x");

        assertThat(RequestChecks.checkHttp2(request)).map(RequestChecks.Refusal::reason).hasValue("the :path is not a path");
    }
}
