package io.edgegate.spec.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class DocumentParserTest {

    private final DocumentParser parser = new DocumentParser();

    @Test
    void syntaxErrorsPointAtTheSourceLine() {
        SourceDocument doc = new SourceDocument("f.yaml", 2, 10, "name: a\nkind: [HTTPServer\nport: 1\n");
        assertThatThrownBy(() -> parser.parse(doc))
                .isInstanceOf(SpecException.class)
                .hasMessageMatching("invalid YAML at line 1[0-9], column \\d+: .+");
    }

    @Test
    void duplicateKeysAreErrors() {
        SourceDocument doc = new SourceDocument("f.yaml", 1, 1, "name: a\nname: b\n");
        assertThatThrownBy(() -> parser.parse(doc)).hasMessageContaining("Duplicate field 'name'");
    }

    @Test
    void aYamlAliasIsRefusedByNameNotReadAsItsName() {
        String server = "kind: HTTPServer\nname: s\nport: 10080\nrules:\n- paths:\n  - pathPrefix: /a\n    backend: &api pipeline-api\n"
                + "  - pathPrefix: /b\n    backend: *api\n";
        assertThatThrownBy(() -> parser.parse(new SourceDocument("f.yaml", 1, 1, server)))
                .hasMessageContaining("YAML aliases are not supported at line 9")
                .hasMessageContaining("'*api'");
    }

    @Test
    void aStarInAValueIsNoAlias() throws SpecException {
        assertThat(parser.parse(new SourceDocument("f.yaml", 1, 1, "name: a\nkind: X\nregexp: '^/api/.*'\nglob: a*b\n"))
                .get("glob").asText()).isEqualTo("a*b");
    }

    @Test
    void aDocumentMustBeAMapping() {
        assertThatThrownBy(() -> parser.parse(new SourceDocument("f", 1, 1, "- a\n- b\n")))
                .hasMessageContaining("a document must be a mapping with 'name' and 'kind', got a list");
    }

    @Test
    void jsonIsReadToo() throws SpecException {
        var tree = parser.parse(new SourceDocument("f.json", 1, 1, "{\"name\": \"a\", \"kind\": \"Pipeline\"}"));
        assertThat(tree.get("kind").asText()).isEqualTo("Pipeline");
        assertThat(parser.toYaml(tree)).isEqualTo("name: a\nkind: Pipeline\n");
    }

    /** The JSON parser's fast path must read a JSON document exactly as the YAML parser would. */
    @Test
    void aJsonDocumentReadsAsTheYamlParserReadsIt() throws Exception {
        String json = """
                {"name": "a", "kind": "HTTPServer", "port": 8080, "ratio": 0.5, "big": 12345678901234567890,
                 "on": true, "none": null, "empty": "", "slash": "a\\/b", "unicode": "caf\\u00e9 \\ud83d\\ude00",
                 "list": [1, "two", {"three": [3]}], "nested": {"deep": {"deeper": []}}}
                """;
        var fast = parser.parse(new SourceDocument("f.json", 1, 1, json));
        var viaYaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(json.replace("\\/", "/"));
        assertThat(fast).isEqualTo(viaYaml);
        assertThat(fast.get("slash").asText()).isEqualTo("a/b");
    }

    @Test
    void jsonWithAnErrorIsReportedAsTheYamlParserSeesIt() {
        assertThatThrownBy(() -> parser.parse(new SourceDocument("f.json", 1, 1, "{\"name\": \"a\", \"name\": \"b\"}")))
                .hasMessageContaining("Duplicate field 'name'");
        assertThatThrownBy(() -> parser.parse(new SourceDocument("f.json", 1, 1, "{\"name\": \"a\"} {\"name\": \"b\"}")))
                .isInstanceOf(SpecException.class).hasMessageStartingWith("invalid YAML");
        // Flow-style YAML that is not JSON still reads as YAML.
        assertThat(readName("{name: a, kind: Pipeline}")).isEqualTo("a");
    }

    private String readName(String text) {
        try {
            return parser.parse(new SourceDocument("f", 1, 1, text)).get("name").asText();
        } catch (SpecException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void yaml12sEscapedSlashIsASlashInDoubleQuotesOnly() throws SpecException {
        String text = """
                url: "http:\\/\\/example.com\\/a\\/b"
                emoji: "\uD83D\uDE00 \\/x"
                kept: "a\\\\/b"
                plain: ^\\/api
                single: '\\/api'
                # a comment with "\\/" in it
                """;
        var tree = parser.parse(new SourceDocument("f.yaml", 1, 1, text));
        assertThat(tree.get("url").asText()).isEqualTo("http://example.com/a/b");
        assertThat(tree.get("emoji").asText()).isEqualTo("\uD83D\uDE00 /x");
        assertThat(tree.get("kept").asText()).as("an escaped backslash, then a slash").isEqualTo("a\\/b");
        assertThat(tree.get("plain").asText()).isEqualTo("^\\/api");
        assertThat(tree.get("single").asText()).isEqualTo("\\/api");
        assertThatThrownBy(() -> parser.parse(new SourceDocument("f.yaml", 1, 1, "a: \"\\q\"\n")))
                .hasMessageContaining("found unknown escape character q");
    }

    @Test
    void aKeyWithoutAValueIsNullAndAQuotedEmptyStringIsEmpty() throws SpecException {
        var tree = parser.parse(new SourceDocument("f.yaml", 1, 1, "a:\nb: ''\nc:\n  -\n  - x\n"));
        assertThat(tree.get("a").isNull()).isTrue();
        assertThat(tree.get("b").asText()).isEmpty();
        assertThat(tree.get("b").isTextual()).isTrue();
        assertThat(tree.get("c").get(0).isNull()).isTrue();
    }

    /** A value the control plane could not inflate reaches a node as its bytes, read as text. */
    @Test
    void aStoredValueThatIsDamagedGzipIsNamedAsSuch() throws Exception {
        var out = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write("{\"name\": \"a\"}".getBytes(StandardCharsets.UTF_8));
        }
        byte[] damaged = Arrays.copyOf(out.toByteArray(), 12);
        String asText = new String(damaged, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.parseJson(asText))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("stored object is compressed (gzip) but cannot be inflated")
                .hasMessageContaining("egctl delete");
        assertThatThrownBy(() -> parser.parseJson("{\"name\": "))
                .hasMessageContaining("stored object is not valid JSON");
    }
}
