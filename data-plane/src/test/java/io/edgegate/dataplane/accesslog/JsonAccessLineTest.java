package io.edgegate.dataplane.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One formatter writes a loop's lines one after another: what it keeps from line to line must never show in a later line. */
class JsonAccessLineTest {

    private final ObjectMapper json = new ObjectMapper();
    private final JsonAccessLine formatter = new JsonAccessLine("node \"1\"");

    @Test
    void timesWithinASecondAndAcrossSecondsAreEachTheirOwn() throws Exception {
        long[] times = {1_764_463_092_345L, 1_764_463_092_999L, 1_764_463_093_000L, 1_764_463_092_001L, 0L, -1L, -86_400_001L,
            253_402_300_799_999L, 253_402_300_800_000L, -30_610_224_000_001L, 1_764_463_093_500L};
        String[] expected = {"2025-11-30T00:38:12.345Z", "2025-11-30T00:38:12.999Z", "2025-11-30T00:38:13.000Z",
            "2025-11-30T00:38:12.001Z", "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "1969-12-30T23:59:59.999Z",
            "9999-12-31T23:59:59.999Z", "10000-01-01T00:00:00.000Z", "999-12-31T23:59:59.999Z", "2025-11-30T00:38:13.500Z"};
        for (int i = 0; i < times.length; i++) {
            assertThat(line(record(times[i], "s", "b")).get("time").asText()).as("time %d", times[i]).isEqualTo(expected[i]);
        }
    }

    @Test
    void eachLineNamesItsOwnServerAndBackendHoweverManyAlternate() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 40; i++) {
                // New string objects each time: equal names of another config are the same names.
                JsonNode line = line(record(1_764_463_092_345L, "server-" + (i % 3), new String("backend-" + i)));
                assertThat(line.get("node").asText()).isEqualTo("node \"1\"");
                assertThat(line.get("server").asText()).isEqualTo("server-" + (i % 3));
                assertThat(line.get("backend").asText()).isEqualTo("backend-" + i);
                assertThat(line.get("status").asInt()).isEqualTo(200);
            }
        }
    }

    @Test
    void namesThatNeedEscapingAreEscaped() throws Exception {
        JsonNode line = line(record(0, "a\"b\\c", "new\nline"));
        assertThat(line.get("server").asText()).isEqualTo("a\"b\\c");
        assertThat(line.get("backend").asText()).isEqualTo("new\nline");
    }

    @Test
    void aTraceIdThatIsAViewOfTheTraceparentsBytesIsWrittenAsItsDigits() throws Exception {
        AsciiString traceparent = new AsciiString("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        // The small line buffer grows on the way: the copy must land after what came before, not at the start.
        JsonNode line = line(new AccessRecord(0, "s", "b", "", traceparent.subSequence(3, 35, false), "10.0.0.1", "GET", "h", "/a",
                "HTTP/1.1", 200, "proxy", "", "10.0.0.2:80", 200, 0, 1_000_000, 0, "curl", "", 1024, 2_000_000));
        assertThat(line.get("traceId").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(line.get("clientIp").asText()).isEqualTo("10.0.0.1");
    }

    private JsonNode line(AccessRecord record) throws Exception {
        LineBuffer out = new LineBuffer(64);
        formatter.append(out, record);
        return json.readTree(new String(out.bytes(), 0, out.length(), StandardCharsets.UTF_8));
    }

    private static AccessRecord record(long millis, String server, String backend) {
        return new AccessRecord(millis, server, backend, "", "4bf92f3577b34da6a3ce929d0e0e4736", "10.0.0.1", "GET", "h", "/a",
                "HTTP/1.1", 200, "proxy", "", "10.0.0.2:80", 200, 0, 1_000_000, 0, "curl", "", 1024, 2_000_000);
    }
}
