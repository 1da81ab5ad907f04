package io.edgegate.dataplane.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The access log's hand-made JSON: what a JSON parser reads back, and times as java.time prints them. */
class JsonLineTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void timesMatchJavaTimeAcrossCenturiesLeapYearsAndTheEpoch() {
        DateTimeFormatter iso = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
        SplittableRandom random = new SplittableRandom(7);
        long[] fixed = {0, 1, 999, 951_782_400_000L /* 2000-02-29 */, 4_107_542_399_999L /* 2100-02-28T23:59:59.999 */,
            1_764_460_800_000L};
        for (long millis : fixed) {
            assertThat(time(millis)).isEqualTo(iso.format(Instant.ofEpochMilli(millis)));
        }
        for (int i = 0; i < 10_000; i++) {
            long millis = random.nextLong(0, 253_402_300_799_999L);
            assertThat(time(millis)).as("%d", millis).isEqualTo(iso.format(Instant.ofEpochMilli(millis)));
        }
    }

    @Test
    void stringsAreEscapedSoAnyHeaderValueReadsBackAsItWas() throws Exception {
        String plain = "curl/8.5.0";
        assertThat(json.readTree(new JsonLine().string(JsonLine.key("ua"), plain).end()).get("ua").asText()).isEqualTo(plain);
        String hostile = "a\"b\\c\nd\re\tf\u0001g\u001fh é ✓ \ud83d\ude00 </script>";
        JsonNode parsed = json.readTree(new JsonLine().string(JsonLine.key("ua"), hostile).number(JsonLine.key("n"), -5)
                .millis(JsonLine.key("d"), 1_234_567).nullValue(JsonLine.key("x")).end());
        assertThat(parsed.get("ua").asText()).isEqualTo(hostile);
        assertThat(parsed.get("n").asLong()).isEqualTo(-5);
        assertThat(parsed.get("d").asDouble()).isEqualTo(1.234);
        assertThat(parsed.get("x").isNull()).isTrue();
        assertThat(json.readTree(new JsonLine().millis(JsonLine.key("d"), 5_000).end()).get("d").asText()).isEqualTo("0.005");
    }

    @Test
    void theFileGetsEachLineAsUtf8WhateverItsCharacters(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("access.log");
        AccessLogOutput output = AccessLogOutput.file(file, 1 << 20, 1);
        String[] lines = {"plain ascii", "caf\u00e9 \u2713 \ud83d\ude00 end", "x".repeat(3_000), "lone \ud83d surrogate"};
        for (String line : lines) {
            output.write(line);
        }
        output.close();
        assertThat(java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8))
                .containsExactly(lines[0], lines[1], lines[2], "lone ? surrogate");
    }

    private String time(long millis) {
        try {
            return json.readTree(new JsonLine().time(JsonLine.key("t"), millis).end()).get("t").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
