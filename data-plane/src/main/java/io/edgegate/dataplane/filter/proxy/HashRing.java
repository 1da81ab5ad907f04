package io.edgegate.dataplane.filter.proxy;

import java.util.Arrays;

/**
 * A consistent-hash ring over a pool's servers: each server holds points on the ring in
 * proportion to its weight, and a key goes to the first point at or after its hash. When a
 * server joins or leaves, only the keys near its points move. The same servers give the same
 * ring on every node, so a key maps to the same server cluster-wide.
 */
final class HashRing {

    private static final int POINTS_PER_WEIGHT = 160;

    private final long[] points;
    private final Upstream[] owners;

    HashRing(Upstream[] servers) {
        int[] counts = pointCounts(servers);
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        long[] hashes = new long[total];
        Upstream[] byIndex = new Upstream[total];
        int n = 0;
        for (int s = 0; s < servers.length; s++) {
            Upstream server = servers[s];
            int count = counts[s];
            for (int i = 0; i < count; i++) {
                hashes[n] = hash64(server.url() + "#" + i);
                byIndex[n++] = server;
            }
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compareUnsigned(hashes[a], hashes[b]));
        this.points = new long[total];
        this.owners = new Upstream[total];
        for (int i = 0; i < total; i++) {
            points[i] = hashes[order[i]];
            owners[i] = byIndex[order[i]];
        }
    }

    /**
     * Each server's points: {@value #POINTS_PER_WEIGHT} per unit of weight, so a server's share of keys depends on
     * its own weight only and a server joining or leaving moves no key between the others. Past {@value #MAX_POINTS}
     * in all (weights in the thousands) every count is scaled down alike: two servers of weight 10,000 would
     * otherwise make 3.2 million points, built while a request waits.
     */
    private static int[] pointCounts(Upstream[] servers) {
        long total = 0;
        for (Upstream server : servers) {
            total += (long) POINTS_PER_WEIGHT * Math.max(1, server.weight());
        }
        double scale = total > MAX_POINTS ? (double) MAX_POINTS / total : 1;
        int[] counts = new int[servers.length];
        for (int i = 0; i < servers.length; i++) {
            counts[i] = (int) Math.max(1, Math.round(POINTS_PER_WEIGHT * Math.max(1, servers[i].weight()) * scale));
        }
        return counts;
    }

    private static final int MAX_POINTS = 160_000;

    Upstream serverFor(String key) {
        long h = hash64(key);
        int low = 0;
        int high = points.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (Long.compareUnsigned(points[mid], h) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return owners[low == points.length ? 0 : low];
    }

    /** 64-bit FNV-1a, with a final mix so nearby keys spread over the ring. */
    static long hash64(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
