package io.edgegate.spec.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TextChangeTest {

    @Test
    void aChangeInTheMiddleOfMegabytesIsTheChangedCharsOnly() {
        String before = "x".repeat(1_000_000) + "/changing-1" + "y".repeat(1_000_000);
        String after = "x".repeat(1_000_000) + "/changing-22" + "y".repeat(1_000_000);

        TextChange change = TextChange.between(before, after);

        assertThat(change.middle()).isEqualTo("22");
        assertThat(change.keepPrefix()).isEqualTo(1_000_000 + "/changing-".length());
        assertThat(change.changedEnd(before)).isEqualTo(change.keepPrefix() + 1);
        assertThat(change.applyTo(before)).isEqualTo(after);
    }

    @Test
    void neverSplitsASurrogatePair() {
        // Both differ only in the low half of a pair: the change must carry the whole pair.
        String before = "a\uD83D\uDE00b";
        String after = "a\uD83D\uDE01b";

        TextChange change = TextChange.between(before, after);

        assertThat(change.middle()).isEqualTo("\uD83D\uDE01");
        assertThat(change.applyTo(before)).isEqualTo(after);
        TextChange highHalf = TextChange.between("a\uD83D\uDE00b", "a\uD83E\uDE00b");
        assertThat(highHalf.middle()).isEqualTo("\uD83E\uDE00");
    }

    @Test
    void randomEditsRoundTrip() {
        Random random = new Random(7);
        String alphabet = "ab{}\":,é中\uD83D\uDE00";
        for (int round = 0; round < 2_000; round++) {
            String before = text(random, alphabet, random.nextInt(40_000));
            StringBuilder after = new StringBuilder(before);
            int edits = random.nextInt(3);
            for (int e = 0; e < edits && after.length() > 0; e++) {
                int at = random.nextInt(after.length());
                after.replace(at, Math.min(after.length(), at + random.nextInt(5)), text(random, alphabet, random.nextInt(4)));
            }
            TextChange change = TextChange.between(before, after.toString());
            assertThat(change.applyTo(before)).isEqualTo(after.toString());
            assertThat(change.keepPrefix() + change.keepSuffix()).isLessThanOrEqualTo(Math.min(before.length(), after.length()));
        }
    }

    @Test
    void aTextTooShortForTheChangeIsRefused() {
        TextChange change = TextChange.between("0123456789", "01234X6789");
        assertThatThrownBy(() -> change.applyTo("0123")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String text(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            int at = random.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            if (Character.isHighSurrogate(c)) {
                text.append(c).append(alphabet.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                text.append(c);
            }
        }
        return text.toString();
    }
}
