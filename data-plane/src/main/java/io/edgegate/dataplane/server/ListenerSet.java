package io.edgegate.dataplane.server;

import io.edgegate.dataplane.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP listeners, keyed by bound address. Reconciling with a new config keeps a
 * listener whose address did not change (only its state is swapped), binds new addresses
 * before anything else changes, and closes addresses no longer wanted last. A bind that
 * fails leaves everything as it was.
 *
 * <p>Called from one thread (the config applier), never from an event loop.
 */
public final class ListenerSet {

    private static final Logger log = LoggerFactory.getLogger(ListenerSet.class);

    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Optional<String> listenAddress;
    private final Map<InetSocketAddress, HttpListener> listeners = new HashMap<>();

    /**
     * @param listenAddress the address every HTTPServer of this node binds ({@code --listen-address});
     *                      empty to use each server's own {@code address}, or all interfaces
     */
    public ListenerSet(Transport transport, EventLoopGroup boss, EventLoopGroup workers, Optional<String> listenAddress) {
        this.transport = transport;
        this.boss = boss;
        this.workers = workers;
        this.listenAddress = listenAddress;
    }

    /** Brings listeners in line with {@code wanted} (one state per HTTPServer), or throws and changes nothing. */
    public void reconcile(List<ServerState> wanted) throws ListenerException {
        Map<InetSocketAddress, ServerState> byAddress = new HashMap<>();
        for (ServerState state : wanted) {
            InetSocketAddress address = addressOf(state);
            ServerState clash = byAddress.putIfAbsent(address, state);
            if (clash != null) {
                throw new ListenerException("HTTPServer " + state.spec().name() + " and HTTPServer " + clash.spec().name()
                        + " both listen on " + describe(address));
            }
        }
        Map<InetSocketAddress, HttpListener> bound = new HashMap<>();
        try {
            for (Map.Entry<InetSocketAddress, ServerState> entry : byAddress.entrySet()) {
                if (!listeners.containsKey(entry.getKey())) {
                    bound.put(entry.getKey(), bind(entry.getKey(), entry.getValue()));
                }
            }
        } catch (ListenerException e) {
            bound.values().forEach(HttpListener::close);
            throw e;
        }
        byAddress.forEach((address, state) -> {
            HttpListener existing = listeners.get(address);
            if (existing != null) {
                existing.update(state);
            }
        });
        listeners.putAll(bound);
        bound.keySet().forEach(a -> log.info("listening on {} for HTTPServer {}", describe(a), byAddress.get(a).spec().name()));
        List<InetSocketAddress> gone = new ArrayList<>(listeners.keySet());
        gone.removeAll(byAddress.keySet());
        for (InetSocketAddress address : gone) {
            listeners.remove(address).close();
            log.info("closed listener on {}", describe(address));
        }
    }

    public void closeAll() {
        listeners.values().forEach(HttpListener::close);
        listeners.clear();
    }

    private HttpListener bind(InetSocketAddress address, ServerState state) throws ListenerException {
        try {
            return HttpListener.bind(address, state, transport, boss, workers).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ListenerException("HTTPServer " + state.spec().name() + " cannot listen on " + describe(address)
                    + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ListenerException("HTTPServer " + state.spec().name() + " timed out binding " + describe(address));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ListenerException("interrupted while binding " + describe(address));
        }
    }

    private InetSocketAddress addressOf(ServerState state) {
        String host = listenAddress.orElseGet(() -> state.spec().address().orElse("0.0.0.0"));
        return new InetSocketAddress(host, state.spec().port());
    }

    private static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
