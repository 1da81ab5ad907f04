package io.edgegate.spec.server;

import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.ipfilter.IpFilterRules;
import java.util.List;
import java.util.Optional;

/**
 * One routing rule: which hosts it serves ({@code host}, {@code hostRegexp}, {@code hosts},
 * any of them; none means every host), an optional {@code ipFilter}, and its ordered paths.
 */
public record RuleSpec(Optional<String> host, Optional<String> hostRegexp, List<HostSpec> hosts,
                       Optional<IpFilterRules> ipFilter, List<PathSpec> paths) {

    public RuleSpec {
        hosts = List.copyOf(hosts);
        paths = List.copyOf(paths);
    }

    /** This rule with other paths (decoded alone, for the same places in it). */
    public RuleSpec withPaths(List<PathSpec> newPaths) {
        return new RuleSpec(host, hostRegexp, hosts, ipFilter, newPaths);
    }

    static RuleSpec decode(SpecObject o, RouterKind router) {
        Optional<String> host = o.optionalString("host").filter(h -> !h.isEmpty());
        host.ifPresent(h -> HostSpec.checkWildcard(h, o, "host"));
        Optional<String> hostRegexp = o.optionalString("hostRegexp").filter(r -> !r.isEmpty());
        hostRegexp.ifPresent(r -> Regexps.check(r, o, "hostRegexp"));
        List<HostSpec> hosts = o.list("hosts", n -> HostSpec.decode(n.asObject()));
        Optional<IpFilterRules> ipFilter = IpFilterRules.optional(o, "ipFilter");
        String scope = "path/" + router;
        List<PathSpec> paths = o.list("paths", n -> n.memoized(scope, PathSpec.class, () -> PathSpec.decode(n.asObject(), router)));
        if (paths.isEmpty()) {
            o.warning("paths", "a rule without paths serves no request, as in Easegress (use 'pathPrefix: /' to match every path)");
        }
        o.finish();
        return new RuleSpec(host, hostRegexp, hosts, ipFilter, paths);
    }
}
