package io.edgegate.spec;

import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SourceDocument;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Decodes YAML text the way the control plane does. */
final class SpecFixtures {

    private static final DocumentParser PARSER = new DocumentParser();
    private static final ObjectDecoder DECODER = new ObjectDecoder(FilterSpecKinds.builtIn());

    private SpecFixtures() {
    }

    static DecodedObject decode(String yaml) throws SpecException {
        return decode(yaml, ValidationMode.STRICT);
    }

    static DecodedObject decode(String yaml, ValidationMode mode) throws SpecException {
        return DECODER.decode(PARSER.parse(new SourceDocument("test.yaml", 1, 1, yaml)), mode);
    }

    static String example(String file) {
        try {
            return Files.readString(Path.of("..", "examples", file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
