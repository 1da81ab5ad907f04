package io.edgegate.dataplane.server;

import io.edgegate.dataplane.transport.Transport;
import io.edgegate.spec.server.tls.TlsSpec;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP listeners, keyed by bound address. Every listener reads its state from the
 * node's running config ({@code running}), so switching configs is one swap, done by the
 * caller. Around it: {@link #prepare} binds the addresses a new config adds (and nothing else
 * changes; a bind that fails unbinds what it bound), {@link #commit} makes them part of the
 * set just before the swap, {@link #closeGone} closes the addresses no longer wanted after it,
 * and {@link #abandon} undoes a prepare whose config never went into service.
 *
 * <p>Called from one thread (the config applier), never from an event loop.
 */
public final class ListenerSet {

    private static final Logger log = LoggerFactory.getLogger(ListenerSet.class);

    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Optional<String> listenAddress;
    private final Function<InetSocketAddress, ServerState> running;
    private final Optional<InetSocketAddress> adminListener;
    private final Map<InetSocketAddress, HttpListener> listeners = new HashMap<>();

    /**
     * @param listenAddress the address every HTTPServer of this node binds ({@code --listen-address});
     *                      empty to use each server's own {@code address}, or all interfaces
     * @param running       the state the running config has for an address, or null
     * @param adminListener the node's own admin listener, which no HTTPServer may take
     */
    public ListenerSet(Transport transport, EventLoopGroup boss, EventLoopGroup workers, Optional<String> listenAddress,
                       Function<InetSocketAddress, ServerState> running, Optional<InetSocketAddress> adminListener) {
        this.transport = transport;
        this.boss = boss;
        this.workers = workers;
        this.listenAddress = listenAddress;
        this.running = running;
        this.adminListener = adminListener;
    }

    /** Where each server listens on this node; two on one address is refused. */
    public Map<InetSocketAddress, ServerState> byAddress(List<ServerState> states) throws ListenerException {
        Map<InetSocketAddress, ServerState> byAddress = new HashMap<>();
        for (ServerState state : states) {
            InetSocketAddress address = addressOf(state);
            if (adminListener.isPresent() && overlap(address, adminListener.get())) {
                // The bind would fail as if another program held the port, and be retried for ever: this config never fits.
                throw new ListenerException("HTTPServer " + state.spec().name() + " cannot listen on " + describe(address)
                        + ": this node's admin listener (--admin-address, --admin-port) is on " + describe(adminListener.get()));
            }
            ServerState clash = byAddress.putIfAbsent(address, state);
            if (clash != null) {
                throw new ListenerException("HTTPServer " + state.spec().name() + " and HTTPServer " + clash.spec().name()
                        + " both listen on " + describe(address));
            }
        }
        return Map.copyOf(byAddress);
    }

    /** What a config being built binds, and what it wants. */
    public static final class Prepared {

        private final Map<InetSocketAddress, ServerState> wanted;
        private final Map<InetSocketAddress, HttpListener> bound;
        /** Kept listeners whose TLS settings admit other connections: theirs were made under the old ones. */
        private final List<HttpListener> toDrain = new ArrayList<>();

        private Prepared(Map<InetSocketAddress, ServerState> wanted, Map<InetSocketAddress, HttpListener> bound) {
            this.wanted = wanted;
            this.bound = bound;
        }
    }

    /** Binds the addresses of {@code wanted} not bound yet; throws and leaves nothing bound if one fails. */
    public Prepared prepare(Map<InetSocketAddress, ServerState> wanted) throws ListenerException {
        Map<InetSocketAddress, HttpListener> bound = new HashMap<>();
        try {
            for (Map.Entry<InetSocketAddress, ServerState> entry : wanted.entrySet()) {
                if (!listeners.containsKey(entry.getKey())) {
                    bound.put(entry.getKey(), bind(entry.getKey(), entry.getValue()));
                }
            }
        } catch (ListenerException e) {
            bound.values().forEach(HttpListener::close);
            throw e;
        }
        return new Prepared(wanted, bound);
    }

    /**
     * Just before the swap: the listeners {@code prepared} bound join the set, and those going
     * away keep serving their current state until they are closed. Cannot fail.
     */
    public void commit(Prepared prepared) {
        listeners.forEach((address, listener) -> {
            ServerState wanted = prepared.wanted.get(address);
            if (wanted != null && admitsOtherConnections(listener.state().spec().tls(), wanted.spec().tls())) {
                prepared.toDrain.add(listener);
            }
            // A kept listener pins the state it is about to serve, not the one it was bound with: that one
            // (its generation's pipelines, response caches, TLS context) would otherwise be held for its life.
            listener.pin(wanted != null ? wanted : listener.state());
        });
        listeners.putAll(prepared.bound);
        prepared.bound.keySet().forEach(a -> log.info("listening on {} for HTTPServer {}", describe(a),
                prepared.wanted.get(a).spec().name()));
    }

    /**
     * After the swap: closes the listeners the config in service no longer has, and drains the
     * connections of those whose TLS settings now admit other connections (HTTPS turned on or off, client
     * certificates of another CA, or none, required): they finish the request in flight and close, and
     * clients reconnect under the new settings. A replaced certificate alone keeps them: it says nothing
     * about who may connect, and renewals come often.
     */
    public void closeGone(Prepared prepared) {
        for (HttpListener listener : prepared.toDrain) {
            listener.drainConnections();
            log.info("TLS settings of {} changed: its open connections close after their request in flight",
                    describe(listener.address()));
        }
        List<InetSocketAddress> gone = new ArrayList<>(listeners.keySet());
        gone.removeAll(prepared.wanted.keySet());
        prepared.wanted.keySet().forEach(address -> {
            HttpListener kept = listeners.get(address);
            if (kept != null) {
                kept.limitChanged();
            }
        });
        for (InetSocketAddress address : gone) {
            listeners.remove(address).close();
            log.info("closed listener on {}", describe(address));
        }
    }

    /** A prepared config that never went into service: unbinds what it bound. */
    public void abandon(Prepared prepared) {
        prepared.bound.values().forEach(HttpListener::close);
    }

    /**
     * Stops accepting on every port and lets the open connections finish what they are doing, with the config they
     * run (a stream opened just before its client heard of the drain included), for at most {@code grace}; whether
     * they all ended within it. As NGINX's graceful stop: a stop does not cut requests off.
     */
    public boolean closeAll(Duration grace) {
        List<HttpListener> closing = new ArrayList<>(listeners.values());
        listeners.clear();
        closing.forEach(listener -> listener.pin(listener.state()));
        closing.forEach(HttpListener::close);
        long deadline = System.nanoTime() + grace.toNanos();
        while (closing.stream().anyMatch(HttpListener::hasConnections)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static boolean admitsOtherConnections(Optional<TlsSpec> before, Optional<TlsSpec> after) {
        return before.isPresent() != after.isPresent()
                || before.isPresent() && !before.get().clientCaPem().equals(after.get().clientCaPem());
    }

    private HttpListener bind(InetSocketAddress address, ServerState state) throws ListenerException {
        CompletableFuture<HttpListener> binding = HttpListener.bind(address, running, state, transport, boss, workers);
        try {
            return binding.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ListenerException("HTTPServer " + state.spec().name() + " cannot listen on " + describe(address)
                    + ": " + e.getCause().getMessage(), true);
        } catch (TimeoutException e) {
            abandonLate(binding);
            throw new ListenerException("HTTPServer " + state.spec().name() + " timed out binding " + describe(address), true);
        } catch (InterruptedException e) {
            abandonLate(binding);
            Thread.currentThread().interrupt();
            throw new ListenerException("interrupted while binding " + describe(address));
        }
    }

    /** A bind given up on may still succeed: its listener is closed then, or it would serve outside every config. */
    private static void abandonLate(CompletableFuture<HttpListener> binding) {
        // Not on the event loop that completes the bind: closing waits for the channel to close.
        binding.thenAcceptAsync(HttpListener::close);
    }

    private InetSocketAddress addressOf(ServerState state) {
        String host = listenAddress.orElseGet(() -> state.spec().address().orElse("0.0.0.0"));
        return new InetSocketAddress(host, state.spec().port());
    }

    /** One port, and one address or either of them every address. */
    private static boolean overlap(InetSocketAddress a, InetSocketAddress b) {
        if (a.getPort() != b.getPort()) {
            return false;
        }
        if (a.isUnresolved() || b.isUnresolved()) {
            return a.getHostString().equals(b.getHostString());
        }
        return a.getAddress().isAnyLocalAddress() || b.getAddress().isAnyLocalAddress() || a.getAddress().equals(b.getAddress());
    }

    private static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
