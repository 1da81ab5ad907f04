package io.edgegate.dataplane.server;

import io.edgegate.dataplane.metrics.RequestMeters;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.edgegate.spec.server.ClientLimitsSpec;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A listener's per-client-IP limits: open connections and new connections per second. A
 * connection over either is closed as it is accepted, before anything is read or allocated
 * for it. Open counts live only while a client has connections (so they are bounded by the
 * listener's maxConnections); connection rates live in a size-bounded cache.
 */
@ChannelHandler.Sharable
final class ClientConnectionLimits extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("edgegate.client-limits.counted");
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("edgegate.client-limits.refused");

    private final Supplier<ClientLimitsSpec> limits;
    private final Supplier<RequestMeters> meters;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
    private volatile Cache<InetAddress, AtomicLong> rates;
    private volatile int ratesSizedFor;
    private final LongAdder refused = new LongAdder();

    /** {@code limits} gives the listener's current limits, or null for none. */
    ClientConnectionLimits(Supplier<ClientLimitsSpec> limits, Supplier<RequestMeters> meters) {
        this.limits = limits;
        this.meters = meters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ClientLimitsSpec spec = limits.get();
        InetAddress client = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (spec == null || client == null) {
            ctx.fireChannelActive();
            return;
        }
        if (spec.newPerSecond() > 0 && !withinRate(client, spec)) {
            refuse(ctx, RequestMeters.ConnectionRefusal.CLIENT_RATE);
            return;
        }
        if (spec.maxConnections() > 0) {
            AtomicInteger count = open.compute(client, (k, v) -> v == null ? new AtomicInteger() : v);
            if (count.incrementAndGet() > spec.maxConnections()) {
                release(client);
                refuse(ctx, RequestMeters.ConnectionRefusal.CLIENT_CONNECTIONS);
                return;
            }
            ctx.channel().attr(COUNTED).set(client);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InetAddress client = ctx.channel().attr(COUNTED).getAndSet(null);
        if (client != null) {
            release(client);
        }
        // The handlers after this one never saw a refused connection become active.
        if (ctx.channel().attr(REFUSED).get() == null) {
            ctx.fireChannelInactive();
        }
    }

    private void release(InetAddress client) {
        open.computeIfPresent(client, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    /** One counter per client: the current second in the high bits, connections in it in the low 24. */
    private boolean withinRate(InetAddress client, ClientLimitsSpec spec) {
        long second = System.nanoTime() / 1_000_000_000L;
        AtomicLong window = rates(spec).get(client, k -> new AtomicLong());
        while (true) {
            long s = window.get();
            long count = (s >>> 40) == (second & 0xFFFFFF) ? s & 0xFF_FFFF_FFFFL : 0;
            if (count >= spec.newPerSecond()) {
                return false;
            }
            if (window.compareAndSet(s, ((second & 0xFFFFFF) << 40) | (count + 1))) {
                return true;
            }
        }
    }

    private Cache<InetAddress, AtomicLong> rates(ClientLimitsSpec spec) {
        Cache<InetAddress, AtomicLong> cache = rates;
        if (cache == null || ratesSizedFor != spec.trackedClients()) {
            synchronized (this) {
                if (rates == null || ratesSizedFor != spec.trackedClients()) {
                    rates = Caffeine.newBuilder().maximumSize(spec.trackedClients())
                            .expireAfterWrite(Duration.ofSeconds(2)).executor(Runnable::run).build();
                    ratesSizedFor = spec.trackedClients();
                }
                cache = rates;
            }
        }
        return cache;
    }

    private void refuse(ChannelHandlerContext ctx, RequestMeters.ConnectionRefusal reason) {
        refused.increment();
        meters.get().refused(reason);
        ctx.channel().attr(REFUSED).set(Boolean.TRUE);
        ctx.close();
    }

    /** Connections refused so far. */
    long refused() {
        return refused.sum();
    }
}
