package io.edgegate.spec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.DocumentSplitter;
import io.edgegate.spec.codec.SourceDocument;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.FilterSpecKinds;

/**
 * Whatever text an operator (or an attacker with egctl) sends, the decoder answers with a valid
 * object or a {@link SpecException} naming the problem, in both validation modes: never any
 * other exception. The seed corpus (resources, this class's Inputs) runs with the unit tests;
 * {@code deploy/fuzz.sh} fuzzes.
 */
class ObjectDecoderFuzzTest {

    private static final DocumentParser PARSER = new DocumentParser();
    private static final ObjectDecoder DECODER = new ObjectDecoder(FilterSpecKinds.builtIn());

    @FuzzTest(maxDuration = "10m")
    void anyTextDecodesOrIsRefusedWithAReason(FuzzedDataProvider data) {
        boolean json = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        for (ValidationMode mode : ValidationMode.values()) {
            try {
                if (json) {
                    DECODER.decode(PARSER.parseJson(text), mode);
                } else {
                    for (SourceDocument document : DocumentSplitter.split("fuzz.yaml", text)) {
                        DECODER.decode(PARSER.parse(document), mode);
                    }
                }
            } catch (SpecException expected) {
                if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                    throw new AssertionError("a refusal without a reason", expected);
                }
            }
        }
    }
}
