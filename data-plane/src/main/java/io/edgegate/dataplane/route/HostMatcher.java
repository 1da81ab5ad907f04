package io.edgegate.dataplane.route;

import com.google.re2j.Pattern;
import io.edgegate.spec.server.HostSpec;
import io.edgegate.spec.server.Regexps;
import io.edgegate.spec.server.RuleSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether a rule serves a host: any of its host, hostRegexp and hosts entries; a rule with
 * none serves all. Exact hosts are kept apart so the route table can index them.
 */
final class HostMatcher {

    private final Set<String> exact;
    private final List<Predicate<String>> patterns;

    private HostMatcher(Set<String> exact, List<Predicate<String>> patterns) {
        this.exact = exact;
        this.patterns = patterns;
    }

    static HostMatcher of(RuleSpec rule) {
        Set<String> exact = new HashSet<>();
        List<Predicate<String>> patterns = new ArrayList<>();
        rule.host().ifPresent(h -> add(h, exact, patterns));
        rule.hostRegexp().ifPresent(r -> patterns.add(regexp(r)));
        for (HostSpec host : rule.hosts()) {
            if (host.isRegexp()) {
                patterns.add(regexp(host.value()));
            } else {
                add(host.value(), exact, patterns);
            }
        }
        return new HostMatcher(Set.copyOf(exact), List.copyOf(patterns));
    }

    /** {@code host} is lower-case and without port. */
    boolean matches(String host) {
        if (exact.isEmpty() && patterns.isEmpty()) {
            return true;
        }
        if (exact.contains(host)) {
            return true;
        }
        for (Predicate<String> pattern : patterns) {
            if (pattern.test(host)) {
                return true;
            }
        }
        return false;
    }

    /** The hosts this rule serves when it serves only exact hosts; empty when it needs a pattern or serves all. */
    Set<String> exactHostsOnly() {
        return patterns.isEmpty() ? exact : Set.of();
    }

    /** As Easegress: one {@code *} at the start stands for any beginning ({@code *.example.com}, {@code *example.com}), at the end for any end. */
    private static void add(String host, Set<String> exact, List<Predicate<String>> patterns) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("*")) {
            String suffix = h.substring(1);
            patterns.add(candidate -> candidate.endsWith(suffix));
        } else if (h.endsWith("*")) {
            String prefix = h.substring(0, h.length() - 1);
            patterns.add(candidate -> candidate.startsWith(prefix));
        } else {
            exact.add(h);
        }
    }

    /** Hosts are matched lower-cased (DNS names know no case): a regexp written with capitals matches them too. */
    private static Predicate<String> regexp(String regex) {
        Pattern pattern = Regexps.compile("(?i)" + regex);
        return host -> pattern.matcher(host).find();
    }
}
