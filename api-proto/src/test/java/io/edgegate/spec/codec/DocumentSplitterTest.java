package io.edgegate.spec.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentSplitterTest {

    @Test
    void splitsOnMarkersAndKeepsLineNumbers() {
        String text = """
                # leading comment
                ---
                name: a
                kind: HTTPServer
                ---   # comment on the marker
                name: b
                kind: Pipeline
                ...
                ---
                # only a comment
                """;
        List<SourceDocument> docs = DocumentSplitter.split("f.yaml", text);

        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).text()).isEqualTo("name: a\nkind: HTTPServer\n");
        assertThat(docs.get(0).firstLine()).isEqualTo(3);
        assertThat(docs.get(1).index()).isEqualTo(2);
        assertThat(docs.get(1).firstLine()).isEqualTo(6);
        assertThat(docs.get(1).label()).isEqualTo("f.yaml, document 2");
    }

    @Test
    void aMarkerInsideABlockScalarIsNotASeparator() {
        String text = "name: a\nbody: |\n  ---\n  text\n";
        assertThat(DocumentSplitter.split("f", text)).hasSize(1);
    }

    @Test
    void contentOnTheMarkerLineStays() {
        List<SourceDocument> docs = DocumentSplitter.split("f", "--- {name: a, kind: Pipeline}\n");
        assertThat(docs).singleElement().satisfies(d -> assertThat(d.text()).isEqualTo("{name: a, kind: Pipeline}\n"));
    }
}
