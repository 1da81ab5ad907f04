package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.filter.fallback.FallbackFilter;
import io.edgegate.dataplane.metrics.UpstreamMeters;
import io.edgegate.dataplane.metrics.UpstreamStates;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterResults;
import io.edgegate.dataplane.pipeline.FilterScope;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.proxy.ProxySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Sends the request to a server of the first candidate pool that selects it, else of the
 * main pool (and a copy to the mirror pool), streaming its body, and makes the upstream's
 * response (streamed too) the pipeline's. An upgrade (WebSocket) answered with 101 turns into a
 * byte tunnel to that server.
 *
 * <p>Each pool's handling is composed once per config from small parts, outermost first:
 * upstream header, compression, cache, circuit, then {@link ForwardingCall} (pick a server,
 * answer) over the attempt chain mirror, retries, deadline, send. A part the spec does not ask
 * for is not in the chain.
 */
final class ProxyFilter implements Filter {

    private final PoolCall main;
    /** Candidate pools in order, each with the filter that selects its requests. */
    private final List<Candidate> candidates;
    /** The v1 Proxy's fallback for failure codes, or null. */
    private final FallbackFilter fallback;
    private final Optional<Mirror> mirror;
    private final UpstreamStates states;
    private final UpstreamStates.Source reporter;
    private final UpstreamMeters meters;
    private final Supplier<Set<String>> serversInUse;

    ProxyFilter(ProxySpec spec, UpstreamClient client, PoolServices services, FilterScope scope) {
        ServerPool mainPool = new ServerPool(spec.mainPool(), services, scope.inV1Pipeline());
        List<ServerPool> candidatePools = spec.candidatePools().stream().map(p -> new ServerPool(p, services, scope.inV1Pipeline())).toList();
        this.mirror = spec.mirrorPool().map(p -> new Mirror(new ServerPool(p, services, scope.inV1Pipeline()), p.filter().map(PoolSelector::new), client,
                spec.idle().perServer()));
        List<ServerPool> pools = new ArrayList<>(candidatePools);
        pools.add(mainPool);
        mirror.ifPresent(m -> pools.add(m.pool()));
        this.serversInUse = () -> serverUrls(pools);
        this.meters = scope.upstreamStates().meters(scope.pipeline(), spec.name(), serversInUse);
        PoolCalls calls = new PoolCalls(spec, client, mirror, meters,
                scope.inV1Pipeline() ? ProxySpec.RESULT_SERVER_ERROR : ProxySpec.RESULT_TIMEOUT);
        this.main = calls.through(mainPool);
        this.fallback = spec.fallback().map(FallbackFilter::new).orElse(null);
        List<Candidate> candidateCalls = new ArrayList<>();
        for (int i = 0; i < candidatePools.size(); i++) {
            candidateCalls.add(new Candidate(new PoolSelector(spec.candidatePools().get(i).filter().orElseThrow()),
                    calls.through(candidatePools.get(i))));
        }
        this.candidates = List.copyOf(candidateCalls);
        this.states = scope.upstreamStates();
        this.reporter = (servers, circuits) -> report(scope.pipeline(), spec.name(), servers, circuits);
        states.add(reporter);
    }

    /** The URLs of the servers the pools hold now (a registry's instances change them without an apply). */
    private static Set<String> serverUrls(List<ServerPool> pools) {
        Set<String> urls = new HashSet<>();
        for (ServerPool pool : pools) {
            pool.addServerUrls(urls);
        }
        return urls;
    }

    /** The servers and circuit of each pool, for the gauges: main, candidate-1…, mirror. */
    private void report(String pipeline, String proxy, List<UpstreamStates.Server> servers, List<UpstreamStates.Circuit> circuits) {
        main.pool().report(pipeline, proxy, "main", servers, circuits);
        for (int i = 0; i < candidates.size(); i++) {
            candidates.get(i).call().pool().report(pipeline, proxy, "candidate-" + (i + 1), servers, circuits);
        }
        mirror.ifPresent(m -> m.pool().report(pipeline, proxy, "mirror", servers, circuits));
    }

    private record Candidate(PoolSelector selector, PoolCall call) {
    }

    /** A pool and the handling composed over it. */
    private record PoolCall(ServerPool pool, ProxyCall call) {
    }

    /** Composes the handling of each pool of one Proxy. */
    private record PoolCalls(ProxySpec spec, UpstreamClient client, Optional<Mirror> mirror, UpstreamMeters meters,
                             String timeoutResult) {

        PoolCall through(ServerPool pool) {
            SendingCall sending = new SendingCall(client, spec.idle().perServer());
            UpstreamCall once = spec.maxRedirection() > 0 ? new RedirectingCall(spec.maxRedirection(), sending) : sending;
            UpstreamCall attempts = new RetryingCall(RetryingCall.plansOf(pool), new DeadlineCall(once), meters);
            if (mirror.isPresent()) {
                attempts = new MirroringCall(mirror.get(), attempts);
            }
            FilterResults results = new FilterResults(ProxySpec.SPEC_KIND.results());
            ProxyCall call = new ForwardingCall(spec.name(), attempts, results, meters, timeoutResult);
            if (pool.serverMaxBodySize() > 0) {
                call = new BodyLimitCall(pool.serverMaxBodySize(), call, results);
            }
            if (pool.circuit().isPresent()) {
                call = new CircuitCall(pool.circuit().get(), call, results);
            }
            if (pool.cache().isPresent()) {
                call = new CachingCall(pool.cache().get(), call);
            }
            if (spec.compression().isPresent()) {
                call = new CompressingCall(new ResponseCompression(spec.compression().get()), call);
            }
            if (spec.upstreamHeader().isPresent()) {
                call = new UpstreamHeaderCall(spec.upstreamHeader().get(), call);
            }
            return new PoolCall(pool, call);
        }
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        // A request another filter answered never goes upstream, whatever the flow says.
        context.ensureUnanswered();
        PoolCall chosen = poolFor(context);
        CompletionStage<String> result = chosen.call().call(new ProxyExchange(context, chosen.pool()));
        return fallback == null ? result : result.thenCompose(r -> fallBack(context, chosen.pool(), r));
    }

    /** Easegress v1: a failure code the pool answered is replaced by the Proxy's own fallback answer. */
    private CompletionStage<String> fallBack(RequestContext context, ServerPool pool, String result) {
        Response answer = context.response();
        if (result.isEmpty() || answer == null || !pool.isFailureCode(answer.head().status().code())) {
            return CompletableFuture.completedFuture(result);
        }
        return fallback.handle(context).thenApply(done -> ProxySpec.RESULT_FALLBACK);
    }

    private PoolCall poolFor(RequestContext context) {
        for (Candidate candidate : candidates) {
            if (candidate.selector().selects(context)) {
                return candidate.call();
            }
        }
        return main;
    }

    @Override
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        lines.add("main pool: " + main.pool().status());
        for (int i = 0; i < candidates.size(); i++) {
            lines.add("candidate pool " + (i + 1) + ": " + candidates.get(i).call().pool().status());
        }
        return lines;
    }

    @Override
    public void close() {
        states.remove(reporter);
        states.release(meters, serversInUse);
        main.pool().close();
        candidates.forEach(c -> c.call().pool().close());
        mirror.ifPresent(Mirror::close);
    }
}
