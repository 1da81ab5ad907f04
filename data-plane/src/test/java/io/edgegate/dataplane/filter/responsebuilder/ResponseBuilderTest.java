package io.edgegate.dataplane.filter.responsebuilder;

import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ResponseBuilder's rendered statusCode read as Easegress's yaml.v3 reads a Go int. */
class ResponseBuilderTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void aStatusCodeIsAPlainIntegerOrFloatAndAQuotedOneIsABuildError() throws Exception {
        int port = FreePorts.pick();
        node.apply(server("s", port, "p"), """
                name: p
                kind: Pipeline
                flow: [{filter: answer}]
                filters:
                - name: answer
                  kind: ResponseBuilder
                  template: |
                    statusCode: {{.requests.DEFAULT.Header.Get "X-Code"}}
                    body: built
                """);

        Map<String, Integer> statusByWrittenCode = new LinkedHashMap<>();
        for (String code : new String[] {"404", "0x194", "0624", "4_04", "0o624", "0X194", "+0b110010100", "404.9", "09",
                "'404'", "\"404\"", "true", "[404]", "!!int '404'", "!!str 404", "_404"}) {
            HttpResponse<String> response = node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("X-Code", code).build());
            statusByWrittenCode.put(code, response.statusCode());
        }

        assertThat(statusByWrittenCode).containsExactly(
                Map.entry("404", 404), Map.entry("0x194", 404), Map.entry("0624", 404), Map.entry("4_04", 404),
                // Go's ParseInt with base 0: 0o and upper-case prefixes too, a sign before them.
                Map.entry("0o624", 404), Map.entry("0X194", 404), Map.entry("+0b110010100", 404),
                // A float goes into a Go int truncated; 09 is no octal, so yaml.v3 reads it as the float 9 (an invalid code).
                Map.entry("404.9", 404), Map.entry("09", 503),
                // Quoted, a bool or a list: "cannot unmarshal", buildErr, the flow's empty 503.
                Map.entry("'404'", 503), Map.entry("\"404\"", 503), Map.entry("true", 503), Map.entry("[404]", 503),
                // An explicit tag decides (yaml.v3 reads !!int '404' as 404); text no number starts with stays a string.
                Map.entry("!!int '404'", 404), Map.entry("!!str 404", 503), Map.entry("_404", 503));
    }
}
