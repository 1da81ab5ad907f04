package io.edgegate.spec.filter.ipfilter;

import io.edgegate.spec.codec.SpecObject;
import java.util.List;
import java.util.Optional;

/**
 * Who may pass, in Easegress's {@code ipFilter} format: with {@code allowIPs} set, only
 * those; an address in {@code blockIPs} is refused; an address in both, or in neither, gets
 * the default ({@code blockByDefault}, false). Entries are addresses or CIDR blocks, IPv4 or IPv6.
 */
public record IpFilterRules(boolean blockByDefault, List<String> allowIPs, List<String> blockIPs) {

    public IpFilterRules {
        allowIPs = List.copyOf(allowIPs);
        blockIPs = List.copyOf(blockIPs);
    }

    /** Reads {@code key} as an ipFilter block if present; an empty block is no filter. */
    public static Optional<IpFilterRules> optional(SpecObject parent, String key) {
        return parent.object(key).map(IpFilterRules::decode)
                .filter(r -> r.blockByDefault() || !r.allowIPs().isEmpty() || !r.blockIPs().isEmpty());
    }

    static IpFilterRules decode(SpecObject o) {
        IpFilterRules rules = readFields(o);
        o.finish();
        return rules;
    }

    /** Reads the three fields from {@code o}, which may hold other fields too (the IPFilter filter's name and kind). */
    public static IpFilterRules readFields(SpecObject o) {
        boolean blockByDefault = o.bool("blockByDefault", false);
        return new IpFilterRules(blockByDefault, checked(o, "allowIPs"), checked(o, "blockIPs"));
    }

    private static List<String> checked(SpecObject o, String key) {
        List<String> entries = o.stringList(key);
        for (int i = 0; i < entries.size(); i++) {
            if (Cidr.parse(entries.get(i)).isEmpty()) {
                o.error(key + "[" + i + "]", "'" + entries.get(i) + "' is not an IP address or CIDR block "
                        + "(expected: e.g. 192.0.2.7, 10.0.0.0/8, 2001:db8::/32)");
            }
        }
        return entries;
    }
}
