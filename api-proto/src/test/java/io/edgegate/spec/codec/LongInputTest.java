package io.edgegate.spec.codec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A document SnakeYAML would refuse only after reading megabytes of it is refused before, with what to do instead. */
class LongInputTest {

    private final DocumentParser parser = new DocumentParser();

    private static String mockWithBody(String body) {
        return "name: big\nkind: Pipeline\nflow: [{filter: m}]\nfilters:\n- name: m\n  kind: Mock\n  rules:\n  - code: 200\n    body: "
                + body + "\n";
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
