package io.edgegate.dataplane.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.spec.filter.ipfilter.IpFilterRules;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpAccessTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void blockListsAllowListsAndTheDefaultFollowEasegress() throws Exception {
        IpAccess block = IpAccess.of(new IpFilterRules(false, List.of(), List.of("10.0.0.0/8", "192.0.2.7")));
        IpAccess allowOnly = IpAccess.of(new IpFilterRules(false, List.of("10.1.0.0/16"), List.of("10.1.2.3")));
        IpAccess closed = IpAccess.of(new IpFilterRules(true, List.of(), List.of()));

        assertThat(block.allows(ip("10.200.3.4"))).isFalse();
        assertThat(block.allows(ip("192.0.2.7"))).isFalse();
        assertThat(block.allows(ip("192.0.2.8"))).isTrue();
        assertThat(allowOnly.allows(ip("10.1.9.9"))).isTrue();
        assertThat(allowOnly.allows(ip("10.2.0.1"))).isFalse();
        // In both lists: the default decides, which here is to allow.
        assertThat(allowOnly.allows(ip("10.1.2.3"))).isTrue();
        assertThat(closed.allows(ip("203.0.113.1"))).isFalse();
    }

    @Test
    void ipv6BlocksAndIpv4MappedClients() throws Exception {
        IpAccess access = IpAccess.of(new IpFilterRules(false, List.of(), List.of("2001:db8::/32", "203.0.113.0/24", "::1")));

        assertThat(access.allows(ip("2001:db8:1234::5"))).isFalse();
        assertThat(access.allows(ip("2001:db9::5"))).isTrue();
        assertThat(access.allows(ip("::1"))).isFalse();
        assertThat(access.allows(ip("::ffff:203.0.113.9"))).isFalse();
        assertThat(access.allows(ip("198.51.100.1"))).isTrue();
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedPeersAndReadFromTheRight() throws Exception {
        ClientAddresses clients = ClientAddresses.trusting(List.of("10.0.0.0/8", "fd00::/8"));
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("X-Forwarded-For", "198.51.100.66, 203.0.113.5");
        headers.add("X-Forwarded-For", "10.0.0.9");

        // Through two of our proxies: the first address they did not add is the client; the forged left part is ignored.
        assertThat(clients.clientOf(new InetSocketAddress("10.0.0.1", 1), headers)).isEqualTo(ip("203.0.113.5"));
        // Straight from the internet: the header is the client's own words.
        assertThat(clients.clientOf(new InetSocketAddress("198.51.100.1", 1), headers)).isEqualTo(ip("198.51.100.1"));
        HttpHeaders v6 = new DefaultHttpHeaders().add("X-Forwarded-For", "[2001:db8::7]");
        assertThat(clients.clientOf(new InetSocketAddress("fd00::1", 1), v6)).isEqualTo(ip("2001:db8::7"));
        HttpHeaders junk = new DefaultHttpHeaders().add("X-Forwarded-For", "unknown, 10.0.0.3");
        assertThat(clients.clientOf(new InetSocketAddress("10.0.0.1", 1), junk)).isEqualTo(ip("10.0.0.3"));
    }
}
