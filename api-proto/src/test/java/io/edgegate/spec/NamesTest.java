package io.edgegate.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Names are checked by hand now, not by a regexp: the same names as [A-Za-z0-9][A-Za-z0-9._-]{0,252} must pass. */
class NamesTest {

    @Test
    void acceptsLettersDigitsDotsUnderscoresAndDashesAfterALetterOrDigit() {
        assertThat(Names.isValid("a")).isTrue();
        assertThat(Names.isValid("9")).isTrue();
        assertThat(Names.isValid("pipeline-demo_v2.1")).isTrue();
        assertThat(Names.isValid("Z" + "-".repeat(252))).as("253 characters").isTrue();
    }

    @Test
    void refusesEverythingElse() {
        assertThat(Names.isValid("")).isFalse();
        assertThat(Names.isValid("-a")).isFalse();
        assertThat(Names.isValid(".a")).isFalse();
        assertThat(Names.isValid("_a")).isFalse();
        assertThat(Names.isValid("a b")).isFalse();
        assertThat(Names.isValid("a/b")).isFalse();
        assertThat(Names.isValid("caf\u00e9")).as("non-ASCII letter").isFalse();
        assertThat(Names.isValid("a\n")).isFalse();
        assertThat(Names.isValid("a".repeat(254))).as("254 characters").isFalse();
    }
}
