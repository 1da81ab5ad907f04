package io.edgegate.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.spec.codec.DecodeMemo;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SourceDocument;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.edgegate.spec.server.HttpServerSpec;
import io.edgegate.spec.server.PathSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A server decoded again with what its last decode recorded: unchanged paths are taken over, everything else decoded. */
class DecodeMemoTest {

    private static final DocumentParser PARSER = new DocumentParser();
    private static final ObjectDecoder DECODER = new ObjectDecoder(FilterSpecKinds.builtIn());

    private static String server(String routerKind, String... paths) {
        StringBuilder yaml = new StringBuilder("kind: HTTPServer\nname: s\nport: 10080\nrouterKind: " + routerKind + "\nrules:\n- paths:\n");
        for (String path : paths) {
            yaml.append("  - ").append(path).append('\n');
        }
        return yaml.toString();
    }

    private static ObjectNode tree(String yaml) throws SpecException {
        return PARSER.parse(new SourceDocument("s.yaml", 1, 1, yaml));
    }

    private static List<PathSpec> paths(ObjectNode tree, DecodeMemo memo) throws SpecException {
        return ((HttpServerSpec) DECODER.decode(tree, ValidationMode.STRICT, memo).spec()).rules().get(0).paths();
    }

    private static List<PathSpec> pathsWithoutMemo(String yaml) throws SpecException {
        return paths(tree(yaml), DecodeMemo.NONE);
    }

    @Test
    void unchangedPathsAreTakenOverAndAChangedOneIsDecoded() throws SpecException {
        String before = server("Ordered", "{path: /a, backend: p}", "{pathPrefix: /b, backend: p}", "{pathRegexp: '^/c/[0-9]+$', backend: p}");
        String after = before.replace("/b, backend: p", "/b2, backend: q");
        DecodeMemo first = DecodeMemo.fresh();
        List<PathSpec> old = paths(tree(before), first);

        List<PathSpec> now = paths(tree(after), first.following());

        assertThat(now).isEqualTo(pathsWithoutMemo(after));
        assertThat(now.get(0)).isSameAs(old.get(0));
        assertThat(now.get(2)).isSameAs(old.get(2));
        assertThat(now.get(1).pathPrefix()).contains("/b2");
        assertThat(now.get(1).backend()).isEqualTo("q");
    }

    @Test
    void aPathWithAnErrorIsReportedOnEveryDecode() throws SpecException {
        String broken = server("Ordered", "{path: /a, backend: p}", "{path: no-slash, backend: p}");
        DecodeMemo memo = DecodeMemo.fresh();
        assertThatThrownBy(() -> paths(tree(broken), memo)).hasMessageContaining("'no-slash' must start with '/'");
        assertThat(memo.size()).as("only the sound path is kept").isEqualTo(1);

        assertThatThrownBy(() -> paths(tree(broken), memo.following())).hasMessageContaining("'no-slash' must start with '/'");
    }

    @Test
    void aPathWithAWarningIsNotKeptSoItsWarningIsGivenAgain() throws SpecException {
        String withUnknownKey = server("Ordered", "{path: /a, backend: p, colour: red}");
        DecodeMemo memo = DecodeMemo.fresh();
        DecodedObject first = DECODER.decode(tree(withUnknownKey), ValidationMode.WARN, memo);
        DecodedObject second = DECODER.decode(tree(withUnknownKey), ValidationMode.WARN, memo.following());

        assertThat(first.warnings()).isNotEmpty();
        assertThat(second.warnings()).isEqualTo(first.warnings());
    }

    @Test
    void aPathDecodedForOneRouterIsNotReusedForAnother() throws SpecException {
        DecodeMemo ordered = DecodeMemo.fresh();
        paths(tree(server("Ordered", "{path: '/users/{id}', backend: p}")), ordered);

        List<PathSpec> radix = paths(tree(server("RadixTree", "{path: '/users/{id}', backend: p}")), ordered.following());

        assertThat(radix.get(0).pattern()).as("the RadixTree router's pattern").isPresent();
    }

    @Test
    void aTreeChangedAfterItsDecodeDoesNotChangeWhatTheMemoMatches() throws SpecException {
        String yaml = server("Ordered", "{path: /a, backend: p}");
        ObjectNode first = tree(yaml);
        DecodeMemo memo = DecodeMemo.fresh();
        List<PathSpec> old = paths(first, memo);
        // The caller's tree changes afterwards (as a stored copy may, e.g. its secrets redacted).
        ((ObjectNode) first.get("rules").get(0).get("paths").get(0)).put("backend", "elsewhere");

        List<PathSpec> again = paths(tree(yaml), memo.following());
        List<PathSpec> changed = paths(tree(yaml.replace("backend: p", "backend: elsewhere")), memo.following());

        assertThat(again.get(0)).isSameAs(old.get(0));
        assertThat(changed.get(0).backend()).isEqualTo("elsewhere");
    }
}
