package io.edgegate.dataplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The types Go's http.DetectContentType gives the bodies a Mock or Fallback is configured with. */
class ContentSnifferTest {

    private static String of(String body) {
        return ContentSniffer.of(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void typesBodiesAsGoSniffsThem() {
        assertThat(of("")).isNull();
        assertThat(of("{\"ok\": true}")).isEqualTo("text/plain; charset=utf-8");
        assertThat(of("  <!doctype html><p>hi")).isEqualTo("text/html; charset=utf-8");
        assertThat(of("<p>hi</p>")).isEqualTo("text/html; charset=utf-8");
        assertThat(of("<pre>x</pre>")).as("<P must end at a space or >").isEqualTo("text/plain; charset=utf-8");
        assertThat(of("<?xml version=\"1.0\"?><a/>")).isEqualTo("text/xml; charset=utf-8");
        assertThat(of("%PDF-1.7")).isEqualTo("application/pdf");
        assertThat(of("a\u0001b")).isEqualTo("application/octet-stream");
        assertThat(ContentSniffer.of(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'})).isEqualTo("text/plain; charset=utf-8");
    }
}
