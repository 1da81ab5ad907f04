package io.edgegate.dataplane.net;

import io.edgegate.spec.filter.ipfilter.Cidr;
import io.edgegate.spec.filter.ipfilter.IpFilterRules;
import java.net.InetAddress;
import java.util.List;

/** An {@code ipFilter}, compiled: whether a client address may pass, by Easegress's rules. */
public final class IpAccess {

    private final boolean blockByDefault;
    private final Cidr[] allow;
    private final Cidr[] block;

    private IpAccess(boolean blockByDefault, Cidr[] allow, Cidr[] block) {
        this.blockByDefault = blockByDefault;
        this.allow = allow;
        this.block = block;
    }

    public static IpAccess of(IpFilterRules rules) {
        return new IpAccess(rules.blockByDefault(), compile(rules.allowIPs()), compile(rules.blockIPs()));
    }

    /**
     * With an allow list, only listed addresses pass; a blocked one does not; one that is in
     * both lists, or in neither, gets the default.
     */
    public boolean allows(InetAddress client) {
        boolean allowed = contains(allow, client);
        if (allow.length > 0 && !allowed) {
            return false;
        }
        boolean blocked = contains(block, client);
        if (allowed == blocked) {
            return !blockByDefault;
        }
        return allowed;
    }

    private static boolean contains(Cidr[] blocks, InetAddress address) {
        for (Cidr cidr : blocks) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static Cidr[] compile(List<String> entries) {
        return entries.stream().map(e -> Cidr.parse(e).orElseThrow(
                () -> new IllegalArgumentException("'" + e + "' is not an IP address or CIDR block"))).toArray(Cidr[]::new);
    }
}
