package io.edgegate.dataplane.route;

import io.edgegate.spec.server.HostSpec;
import io.edgegate.spec.server.RuleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Whether a rule serves a host: any of its host, hostRegexp and hosts entries; a rule with none serves all. */
final class HostMatcher {

    private final List<Predicate<String>> alternatives;

    private HostMatcher(List<Predicate<String>> alternatives) {
        this.alternatives = alternatives;
    }

    static HostMatcher of(RuleSpec rule) {
        List<Predicate<String>> alternatives = new ArrayList<>();
        rule.host().ifPresent(h -> alternatives.add(exactOrWildcard(h)));
        rule.hostRegexp().ifPresent(r -> alternatives.add(regexp(r)));
        for (HostSpec host : rule.hosts()) {
            alternatives.add(host.isRegexp() ? regexp(host.value()) : exactOrWildcard(host.value()));
        }
        return new HostMatcher(List.copyOf(alternatives));
    }

    /** {@code host} is lower-case and without port. */
    boolean matches(String host) {
        if (alternatives.isEmpty()) {
            return true;
        }
        for (Predicate<String> alternative : alternatives) {
            if (alternative.test(host)) {
                return true;
            }
        }
        return false;
    }

    private static Predicate<String> exactOrWildcard(String pattern) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            String suffix = p.substring(1);
            return host -> host.endsWith(suffix) && host.length() > suffix.length();
        }
        if (p.endsWith(".*")) {
            String prefix = p.substring(0, p.length() - 1);
            return host -> host.startsWith(prefix) && host.length() > prefix.length();
        }
        return p::equals;
    }

    private static Predicate<String> regexp(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return host -> pattern.matcher(host).matches();
    }
}
