package io.edgegate.dataplane.filter.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Allowed origins as rs/cors (Easegress's CORS library) reads them. */
class OriginMatcherTest {

    @Test
    void aWildcardMayStandForNothing() {
        OriginMatcher matcher = new OriginMatcher(List.of("http://localhost*", "https://*.example.com"));
        assertThat(matcher.allows("http://localhost")).isTrue();
        assertThat(matcher.allows("http://localhost:8080")).isTrue();
        assertThat(matcher.allows("https://api.example.com")).isTrue();
        assertThat(matcher.allows("HTTPS://API.EXAMPLE.COM")).as("origins compare without case").isTrue();
        assertThat(matcher.allows("https://example.com")).as("the dot before the suffix is the pattern's").isFalse();
        assertThat(matcher.allows("http://otherhost")).isFalse();
    }
}
