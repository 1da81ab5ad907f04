package io.edgegate.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.DocumentSplitter;
import io.edgegate.spec.codec.SourceDocument;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every YAML file under examples/ is accepted by the control plane as written, without warnings. */
class ExamplesDecodeTest {

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("..", "examples"))) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            return yaml.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void decodesStrictly(Path file) throws Exception {
        ObjectDecoder decoder = new ObjectDecoder(FilterSpecKinds.builtIn());
        DocumentParser parser = new DocumentParser();
        List<SourceDocument> documents = DocumentSplitter.split(file.toString(), Files.readString(file));
        assertThat(documents).isNotEmpty();
        for (SourceDocument document : documents) {
            DecodedObject decoded = decoder.decode(parser.parse(document), ValidationMode.STRICT);
            assertThat(decoded.warnings()).as(file + " #" + document.index()).isEmpty();
        }
    }
}
