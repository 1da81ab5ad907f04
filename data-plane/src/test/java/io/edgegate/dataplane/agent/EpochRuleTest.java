package io.edgegate.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which updates a node takes across store epochs. */
class EpochRuleTest {

    private static final String EARLY = "1764400000000-0000abcd";
    private static final String LATE = "1764400099000-00001234";

    @Test
    void anyUpdateOfItsOwnEpochOrToANodeWithoutOneIsTaken() {
        assertThat(EpochRule.refusal(EARLY, EARLY, false)).isNull();
        assertThat(EpochRule.refusal("", EARLY, false)).isNull();
        assertThat(EpochRule.refusal("", "", true)).isNull();
    }

    @Test
    void aFullSnapshotOfALaterEpochIsTakenWhateverItsRevision() {
        assertThat(EpochRule.refusal(EARLY, LATE, true)).isNull();
    }

    @Test
    void anEarlierEpochOrAPartialUpdateOfAnotherIsRefusedWithTheReason() {
        assertThat(EpochRule.refusal(LATE, EARLY, true)).contains("older than the epoch this node runs");
        assertThat(EpochRule.refusal(LATE, "", true)).contains("epoch none is older");
        assertThat(EpochRule.refusal(EARLY, LATE, false)).contains("a partial update of epoch " + LATE);
    }
}
