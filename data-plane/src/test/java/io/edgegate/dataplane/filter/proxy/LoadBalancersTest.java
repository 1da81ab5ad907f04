package io.edgegate.dataplane.filter.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.spec.filter.proxy.LoadBalancePolicy;
import io.edgegate.spec.filter.proxy.LoadBalanceSpec;
import io.edgegate.spec.filter.proxy.ServerSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The balancing policies in isolation, over many picks. */
class LoadBalancersTest {

    private static Upstream server(String url, int weight) {
        return Upstream.of(new ServerSpec(url, List.of(), weight, false), false);
    }

    private static LoadBalanceSpec policy(LoadBalancePolicy policy) {
        return new LoadBalanceSpec(policy, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void weightsHoldWithinTwoPercentOverTenThousandRequests() {
        Upstream a = server("http://10.0.0.1:80", 5);
        Upstream b = server("http://10.0.0.2:80", 3);
        Upstream c = server("http://10.0.0.3:80", 2);
        LoadBalancer balancer = LoadBalancers.create(policy(LoadBalancePolicy.WEIGHTED_RANDOM), List.of(a, b, c));

        Map<Upstream, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(balancer.pick(null), 1, Integer::sum);
        }

        assertThat(counts.get(a)).isBetween(4_800, 5_200);
        assertThat(counts.get(b)).isBetween(2_800, 3_200);
        assertThat(counts.get(c)).isBetween(1_800, 2_200);
    }

    @Test
    void leastRequestsAvoidsTheBusyServer() {
        Upstream busy = server("http://10.0.0.1:80", 1);
        Upstream idle1 = server("http://10.0.0.2:80", 1);
        Upstream idle2 = server("http://10.0.0.3:80", 1);
        LoadBalancer balancer = LoadBalancers.create(policy(LoadBalancePolicy.LEAST_REQUESTS), List.of(busy, idle1, idle2));
        for (int i = 0; i < 5; i++) {
            balancer.started(busy);
        }

        Map<Upstream, Integer> counts = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            counts.merge(balancer.pick(null), 1, Integer::sum);
        }

        assertThat(counts).doesNotContainKey(busy);
        for (int i = 0; i < 5; i++) {
            balancer.finished(busy);
        }
        boolean busyChosenAgain = false;
        for (int i = 0; i < 200 && !busyChosenAgain; i++) {
            busyChosenAgain = balancer.pick(null) == busy;
        }
        assertThat(busyChosenAgain).isTrue();
    }

    @Test
    void theHashRingMovesOnlyTheKeysOfAServerThatLeft() {
        Upstream a = server("http://10.0.0.1:80", 1);
        Upstream b = server("http://10.0.0.2:80", 1);
        Upstream c = server("http://10.0.0.3:80", 1);
        HashRing three = new HashRing(new Upstream[] {a, b, c});
        HashRing two = new HashRing(new Upstream[] {a, b});

        int moved = 0;
        Map<Upstream, Integer> spread = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            String key = "session-" + i;
            Upstream before = three.serverFor(key);
            spread.merge(before, 1, Integer::sum);
            if (before != c) {
                assertThat(two.serverFor(key)).as(key).isSameAs(before);
            } else {
                moved++;
            }
        }

        assertThat(spread.values()).allSatisfy(n -> assertThat(n).isBetween(700, 1_300));
        assertThat(moved).isEqualTo(spread.get(c));
    }
}
