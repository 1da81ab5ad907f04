package io.edgegate.spec.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What SnakeYAML would read slowly is refused before it is read, with what to do instead. */
class LongInputTest {

    private final DocumentParser parser = new DocumentParser();

    private static String mockWithBody(String body) {
        return "name: big\nkind: Pipeline\nflow: [{filter: m}]\nfilters:\n- name: m\n  kind: Mock\n  rules:\n  - code: 200\n    body: "
                + body + "\n";
    }

    @Test
    void aLineOfMegabytesIsRefusedAndTheSameValueOverManyLinesIsRead() throws Exception {
        String oneLine = mockWithBody("\"" + "x".repeat(1_100_000) + "\"");
        assertThatThrownBy(() -> parser.parse(new SourceDocument("big.yaml", 1, 3, oneLine)))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("line 11 is 1100012 characters long; a YAML line may hold at most 1048576 (write a long value"
                        + " as a block scalar (|) over several lines, or send the document as JSON)");

        String block = mockWithBody("|\n" + ("      " + "x".repeat(99) + "\n").repeat(11_000));
        assertThat(parser.parse(new SourceDocument("big.yaml", 1, 1, block)).at("/filters/0/rules/0/body").textValue()).hasSize(1_100_000);
        // The same as JSON, one line, goes to the JSON reader.
        String json = "{\"name\": \"big\", \"kind\": \"Pipeline\", \"body\": \"" + "x".repeat(1_100_000) + "\"}";
        assertThat(parser.parse(new SourceDocument("big.json", 1, 1, json)).get("body").textValue()).hasSize(1_100_000);
    }

    @Test
    void aDocumentOverTheLimitIsRefusedBeforeItIsRead() {
        String big = mockWithBody("|\n" + ("      " + "x".repeat(99) + "\n").repeat(33_000));
        assertThatThrownBy(() -> parser.parse(new SourceDocument("big.yaml", 1, 1, big)))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("the document is 3498113 characters long; a YAML document may hold at most 3145728 (split it, or"
                        + " send it as JSON)");
    }
}
