package io.edgegate.spec.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

    @Test
    void parsesGoDurations() {
        assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void refusesWhatIsNotADuration() {
        assertThatThrownBy(() -> GoDuration.parse("10")).hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> GoDuration.parse("5 s")).hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> GoDuration.parse("5sx")).hasMessageContaining("is not a duration");
        // Go reads a sign: a negative duration is one, and is said to be negative; "+1s" is 1s, "--1s" nothing.
        assertThatThrownBy(() -> GoDuration.parse("-1s")).hasMessage("'-1s' is negative (a duration here is 0 or more)");
        assertThat(GoDuration.parse("+1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(GoDuration.parse("-0s")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> GoDuration.parse("--1s")).hasMessageContaining("'--1s' is not a duration");
        assertThatThrownBy(() -> GoDuration.parse("-")).hasMessageContaining("'-' is not a duration");
        // Past what a duration holds: said so, not Java's "Overflow".
        assertThatThrownBy(() -> GoDuration.parse("9999999999h")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'9999999999h' is too long (a duration is at most 2562047h47m16.854775807s)");
    }

    @Test
    void aFractionOfANanosecondIsDroppedAsGoDropsIt() {
        assertThat(GoDuration.parse("0.5ns")).isEqualTo(Duration.ZERO);
        assertThat(GoDuration.parse("1.5ns")).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void formatsRoundTrip() {
        assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoDuration.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(GoDuration.parse(GoDuration.format(Duration.ofSeconds(3725)))).isEqualTo(Duration.ofSeconds(3725));
    }
}
