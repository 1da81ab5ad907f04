package io.edgegate.spec.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySuggestionsTest {

    private final List<String> known = List.of("servers", "serverTags", "loadBalance", "serviceRegistry", "serviceName");

    @Test
    void suggestsTheClosestKnownKey() {
        assertThat(KeySuggestions.closest("serviceRegisrty", known)).contains("serviceRegistry");
        assertThat(KeySuggestions.closest("serviceRegisty", known)).contains("serviceRegistry");
        assertThat(KeySuggestions.closest("loadbalance", known)).contains("loadBalance");
    }

    @Test
    void suggestsNothingForUnrelatedWords() {
        assertThat(KeySuggestions.closest("timeout", known)).isEmpty();
    }
}
