package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.proxy.LoadBalanceSpec;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** The load-balancing policies of Easegress's Proxy, each built once per pool and config. */
final class LoadBalancers {

    private LoadBalancers() {
    }

    static LoadBalancer create(LoadBalanceSpec spec, List<Upstream> servers) {
        Upstream[] all = servers.toArray(Upstream[]::new);
        return switch (spec.policy()) {
            case ROUND_ROBIN -> new RoundRobin(all);
            case RANDOM -> context -> all[ThreadLocalRandom.current().nextInt(all.length)];
            case WEIGHTED_RANDOM -> new WeightedRandom(all);
            case IP_HASH -> new KeyHash(all, context -> context.client().getHostAddress());
            case COOKIE_HASH -> {
                if (spec.cookieName().isEmpty()) {
                    // Easegress's cookieHash: headerHash keyed by the whole Cookie header.
                    yield headerHash(all, "Cookie");
                }
                String cookie = spec.cookieName().get();
                HashRing ring = new HashRing(all);
                RoundRobin fallback = new RoundRobin(all);
                yield new LoadBalancer() {
                    @Override
                    public Upstream pick(RequestContext context) {
                        String value = affinityKey(context);
                        return value == null ? fallback.pick(context) : ring.serverFor(value);
                    }

                    @Override
                    public String affinityKey(RequestContext context) {
                        return Cookies.value(context.request().headers(), cookie);
                    }
                };
            }
            case LEAST_REQUESTS -> new LeastRequests(all);
            case HEADER_HASH -> headerHash(all, spec.headerHashKey().orElseThrow());
        };
    }

    /** The server a hash of one header's value picks (of "" when the request has none), as Easegress's headerHash. */
    private static LoadBalancer headerHash(Upstream[] all, String header) {
        return new KeyHash(all, context -> {
            String value = context.request().headers().get(header);
            return value == null ? "" : value;
        });
    }

    /** The server a hash of the request's key picks. */
    private static final class KeyHash implements LoadBalancer {

        private final Upstream[] servers;
        private final Function<RequestContext, String> key;

        KeyHash(Upstream[] servers, Function<RequestContext, String> key) {
            this.servers = servers;
            this.key = key;
        }

        @Override
        public Upstream pick(RequestContext context) {
            return servers[index(hash(key.apply(context)), servers.length)];
        }

        @Override
        public String affinityKey(RequestContext context) {
            return key.apply(context);
        }
    }

    /**
     * Of {@code candidates}, the one {@code key} ranks highest (rendezvous hashing): the same on every node, and when
     * a candidate leaves only the keys it held move, each to where it ranks next.
     */
    static Upstream byRank(String key, List<Upstream> candidates) {
        Upstream best = null;
        long bestScore = 0;
        for (Upstream candidate : candidates) {
            long score = HashRing.hash64(key + "@" + candidate.url());
            if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    /** Strict rotation across all event loops, so N requests spread exactly evenly over N servers. */
    private static final class RoundRobin implements LoadBalancer {

        private final Upstream[] servers;
        private final AtomicLong next = new AtomicLong();

        RoundRobin(Upstream[] servers) {
            this.servers = servers;
        }

        @Override
        public Upstream pick(RequestContext context) {
            return servers[(int) (next.getAndIncrement() % servers.length)];
        }
    }

    /**
     * Power of two choices: of two servers drawn at random, the one with fewer requests in
     * flight (on this node). Nearly as good as scanning every server, at the cost of two
     * reads, and free of the herd behaviour of always picking the single least busy one.
     */
    private static final class LeastRequests implements LoadBalancer {

        private final Upstream[] servers;
        private final AtomicIntegerArray inFlight;
        private final Map<Upstream, Integer> indexes = new IdentityHashMap<>();

        LeastRequests(Upstream[] servers) {
            this.servers = servers;
            this.inFlight = new AtomicIntegerArray(servers.length);
            for (int i = 0; i < servers.length; i++) {
                indexes.put(servers[i], i);
            }
        }

        @Override
        public Upstream pick(RequestContext context) {
            if (servers.length == 1) {
                return servers[0];
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int a = random.nextInt(servers.length);
            int b = random.nextInt(servers.length - 1);
            if (b >= a) {
                b++;
            }
            return servers[inFlight.get(b) < inFlight.get(a) ? b : a];
        }

        @Override
        public void started(Upstream server) {
            Integer i = indexes.get(server);
            if (i != null) {
                inFlight.incrementAndGet(i);
            }
        }

        @Override
        public void finished(Upstream server) {
            Integer i = indexes.get(server);
            if (i != null) {
                inFlight.decrementAndGet(i);
            }
        }
    }

    /** Picks with probability proportional to weight; weight 0 is never picked unless all are 0. */
    private static final class WeightedRandom implements LoadBalancer {

        private final Upstream[] servers;
        private final long[] cumulative;
        private final long total;

        WeightedRandom(Upstream[] servers) {
            this.servers = servers;
            this.cumulative = new long[servers.length];
            long sum = 0;
            for (int i = 0; i < servers.length; i++) {
                sum += servers[i].weight();
                cumulative[i] = sum;
            }
            this.total = sum;
        }

        @Override
        public Upstream pick(RequestContext context) {
            if (total == 0) {
                return servers[ThreadLocalRandom.current().nextInt(servers.length)];
            }
            long draw = ThreadLocalRandom.current().nextLong(total);
            int low = 0;
            int high = cumulative.length - 1;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (cumulative[mid] > draw) {
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            return servers[low];
        }
    }

    /** FNV-1a: stable across processes and JVM versions, so every node maps a key to the same server. */
    static int hash(String key) {
        int h = 0x811c9dc5;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x01000193;
        }
        return h;
    }

    private static int index(int hash, int size) {
        return Math.floorMod(hash, size);
    }
}
