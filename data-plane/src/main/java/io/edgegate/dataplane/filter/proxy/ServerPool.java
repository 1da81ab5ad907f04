package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.registry.RegistryView;
import io.edgegate.dataplane.resilience.Circuit;
import io.edgegate.dataplane.resilience.PolicyPlan;
import io.edgegate.dataplane.resilience.RetryBudget;
import io.edgegate.dataplane.registry.ServiceInstance;
import io.edgegate.dataplane.metrics.UpstreamStates;
import io.edgegate.spec.filter.proxy.PoolResilience;
import io.edgegate.spec.filter.proxy.PoolSpec;
import io.edgegate.spec.filter.proxy.ServerSpec;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The servers a pool may use, with its balancer. A pool that names a service registry follows
 * the registry's instances of its service (after tag selection), rebuilding its balancer when
 * they change; while the registry is unreachable or lists none, it uses its static servers.
 */
final class ServerPool {

    /** One set of servers with the balancer (and sticky sessions, and health checks) built over it. */
    /** {@code borrowed}: the static servers' own parts, standing in for a registry list; closing them is not this one's to do. */
    private record Members(List<ServiceInstance> source, List<Upstream> servers, LoadBalancer balancer, StickySessions sticky,
                           HealthChecker health, boolean borrowed) {

        /** In the rotation as far as health checks go. */
        boolean healthy(Upstream server) {
            return health == null || health.isUp(server);
        }

        void close() {
            if (health != null && !borrowed) {
                health.close();
            }
        }
    }

    private static final Members NONE = new Members(null, List.of(), null, null, null, false);
    /** Easegress v2's failure codes of a pool that lists none ("5xx if it isn't assigned any value"). */
    private static final Set<Integer> SERVER_ERRORS = IntStream.rangeClosed(500, 599).boxed().collect(Collectors.toUnmodifiableSet());

    private final PoolSpec spec;
    private final Members staticMembers;
    private final RegistryView registries;
    private final PoolServices services;
    /** Null unless the pool has a memoryCache. */
    private final ResponseCache cache;
    /** Long.MAX_VALUE: no limit of its own. */
    private final long timeoutNanos;
    /** Null unless the pool has outlierDetection. */
    private final OutlierDetector outliers;
    /** Null unless the pool names a circuitBreakerPolicy. */
    private final Circuit circuit;
    /** Null unless the pool names a retryPolicy. */
    private final PolicyPlan retry;
    /** The statuses that fail: the pool's failureCodes; without any, every 5xx in a v2 pipeline (Easegress v2) and none in v1. */
    private final Set<Integer> failureCodes;
    /** Whether the pool lists failureCodes of its own, which win over a policy's failureStatusCodes. */
    private final boolean failureCodesGiven;
    /** The statuses that fail for the pool's circuit, worked out once per config. */
    private final Set<Integer> circuitFailures;
    /** The members last built from the registry, reused while its instance list is the same object. */
    private volatile Members fromRegistry = NONE;
    private boolean closed;

    /**
     * {@code services} runs the pool's health checks and holds its registry, when it has them;
     * {@code inV1Pipeline}: a v1 Proxy's pool, whose answers fail only with the codes it lists.
     */
    ServerPool(PoolSpec spec, PoolServices services, boolean inV1Pipeline) {
        this.spec = spec;
        this.services = services;
        this.staticMembers = members(null, spec.selectedServers().stream().map(s -> Upstream.of(s, spec.setUpstreamHost())).toList());
        this.registries = spec.serviceRegistry().isPresent() ? services.registries() : null;
        this.cache = spec.memoryCache().map(ResponseCache::new).orElse(null);
        this.timeoutNanos = spec.timeout().map(java.time.Duration::toNanos).orElse(Long.MAX_VALUE);
        this.outliers = spec.outlierDetection().map(o -> new OutlierDetector(o, System::nanoTime)).orElse(null);
        PoolResilience resilience = spec.resilience();
        this.failureCodesGiven = !resilience.failureCodes().isEmpty();
        this.failureCodes = failureCodesGiven || inV1Pipeline ? resilience.failureCodes() : SERVER_ERRORS;
        this.circuit = resilience.circuitBreaker().map(p -> new Circuit(p, System::nanoTime)).orElse(null);
        this.circuitFailures = resilience.circuitBreaker().map(p -> failing(p.failureStatusCodes())).orElse(failureCodes);
        this.retry = resilience.retry().map(p -> PolicyPlan.forPool(p,
                new RetryBudget(p.retryRatio(), p.minRetriesPerSecond(), System::nanoTime), failing(p.failureStatusCodes()))).orElse(null);
    }

    /** The pool's circuit (v2 circuitBreakerPolicy), if it names one. */
    Optional<Circuit> circuit() {
        return Optional.ofNullable(circuit);
    }

    /** The pool's retry plan (v2 retryPolicy), if it names one. */
    Optional<PolicyPlan> retry() {
        return Optional.ofNullable(retry);
    }

    /**
     * Whether an answer with {@code status} failed for this pool's circuit: one of its failureCodes, else
     * of the circuit policy's own {@code failureStatusCodes} when it names any, else (v2) a 5xx.
     */
    boolean isFailure(int status) {
        return circuitFailures.contains(status);
    }

    /** The statuses that fail for a policy with {@code policyCodes}: the pool's own codes win over the policy's. */
    private Set<Integer> failing(Set<Integer> policyCodes) {
        return failureCodesGiven || policyCodes.isEmpty() ? failureCodes : policyCodes;
    }

    /** Whether the answer's status fails for the pool (the Proxy's result failureCode). */
    boolean isFailureCode(int status) {
        return failureCodes.contains(status);
    }

    private Members members(List<ServiceInstance> source, List<Upstream> servers) {
        return members(source, servers, Set.of());
    }

    /** {@code stillDown}: servers the members before these had out of the rotation (a registry change keeps them out). */
    private Members members(List<ServiceInstance> source, List<Upstream> servers, Set<String> stillDown) {
        if (servers.isEmpty()) {
            return new Members(source, servers, null, null, null, false);
        }
        return new Members(source, servers, LoadBalancers.create(spec.loadBalance(), servers),
                spec.loadBalance().stickySession().map(s -> new StickySessions(s, servers.toArray(Upstream[]::new))).orElse(null),
                spec.healthCheck().map(h -> services.checker(h, servers, stillDown)).orElse(null), false);
    }

    /** The registry's instances when it has some, else the static servers. */
    private Members current() {
        if (registries == null) {
            return staticMembers;
        }
        List<ServiceInstance> live = registries.instances(spec.serviceRegistry().orElseThrow(), spec.serviceName().orElseThrow());
        if (live == null) {
            return staticMembers;
        }
        Members last = fromRegistry;
        return last.source() == live ? last : rebuild(live);
    }

    /** New members for a changed instance list: built once (their health checker must not leak), the old ones closed. */
    private synchronized Members rebuild(List<ServiceInstance> live) {
        Members last = fromRegistry;
        if (last.source() == live) {
            return last;
        }
        if (closed) {
            // A retired pool finishing its last requests starts no new health checks.
            return staticMembers;
        }
        List<Upstream> tagged = live.stream()
                .filter(i -> spec.serverTags().isEmpty() || i.tags().stream().anyMatch(spec.serverTags()::contains))
                .map(i -> Upstream.of(new ServerSpec(i.url(), i.tags(), i.weight(), false), spec.setUpstreamHost()))
                .toList();
        // As Easegress: when no instance carries the tags, the pool's static servers serve rather than nobody (those
        // with the tags when there are such; else all of them, as Easegress takes its servers list whole then).
        Members built;
        Set<String> stillDown = last.health() == null ? Set.of() : last.health().downUrls();
        if (!tagged.isEmpty()) {
            built = members(live, tagged, stillDown);
        } else if (!staticMembers.servers().isEmpty()) {
            built = staticMembersFor(live);
        } else {
            built = members(live, spec.servers().stream().map(s -> Upstream.of(s, spec.setUpstreamHost())).toList(), stillDown);
        }
        fromRegistry = built;
        last.close();
        if (outliers != null) {
            outliers.retainOnly(java.util.stream.Stream.concat(built.servers().stream(), staticMembers.servers().stream()).toList());
        }
        return built;
    }

    /** The static servers, standing in for a registry list of {@code source} that offers none of the pool's tags. */
    private Members staticMembersFor(List<ServiceInstance> source) {
        return new Members(source, staticMembers.servers(), staticMembers.balancer(), staticMembers.sticky(), staticMembers.health(), true);
    }

    /** How long this pool's servers may take to answer (their response head). */
    long timeoutNanos() {
        return timeoutNanos;
    }

    /** The name of the tracing span of a request sent to this pool; empty: the method's. */
    String spanName() {
        return spec.spanName().orElse("");
    }

    /** The largest answer body this pool takes from a server (Easegress's serverMaxBodySize); 0 or -1: no limit, answers stream. */
    long serverMaxBodySize() {
        return spec.serverMaxBodySize();
    }

    /** The pool's response cache (memoryCache), if it has one. */
    Optional<ResponseCache> cache() {
        return Optional.ofNullable(cache);
    }

    /** The server for this request (the one its session is bound to, else the balancer's choice), or null when the pool has none. */
    Upstream pick(RequestContext context) {
        Members members = current();
        if (members.balancer() == null) {
            return null;
        }
        Upstream bound = members.sticky() == null ? null : members.sticky().boundServer(context);
        Upstream server = bound != null ? bound : members.balancer().pick(context);
        if (!available(members, server)) {
            String key = bound != null ? members.sticky().affinityKey(context) : members.balancer().affinityKey(context);
            server = key != null ? byRankAmongAvailable(members, key) : healthyInstead(members, context);
            if (server == null) {
                return null;
            }
        }
        members.balancer().started(server);
        return server;
    }

    /**
     * Another pick from the balancer, a few times (it spreads like the policy), then the first
     * healthy server in order. Null when none is up:
     * the client gets 503 at once rather than a wait on a dead server.
     */
    private Upstream healthyInstead(Members members, RequestContext context) {
        for (int i = 0; i < members.servers().size(); i++) {
            Upstream again = members.balancer().pick(context);
            if (available(members, again)) {
                return again;
            }
        }
        for (Upstream server : members.servers()) {
            if (available(members, server)) {
                return server;
            }
        }
        return null;
    }

    /** A hash policy's (or consistent-hash session's) server being out: its key picks among those in the rotation. */
    private Upstream byRankAmongAvailable(Members members, String key) {
        List<Upstream> available = new java.util.ArrayList<>(members.servers().size());
        for (Upstream server : members.servers()) {
            if (available(members, server)) {
                available.add(server);
            }
        }
        return available.isEmpty() ? null : LoadBalancers.byRank(key, available);
    }

    /** The servers in use now, where they come from and, with health checks, whether each is in the rotation. */
    String status() {
        Members members = current();
        String source = members == staticMembers
                ? (registries == null ? "static servers" : "static servers (registry " + spec.serviceRegistry().orElseThrow()
                        + " has no instances of " + spec.serviceName().orElseThrow() + " or is unreachable)")
                : "registry " + spec.serviceRegistry().orElseThrow() + " service " + spec.serviceName().orElseThrow();
        List<String> servers = members.servers().stream()
                .map(s -> s.url() + (members.healthy(s) ? "" : " UNHEALTHY")
                        + (outliers != null && outliers.isEjected(s) ? " EJECTED" : ""))
                .toList();
        String line = source + ": " + (servers.isEmpty() ? "none" : String.join(", ", servers));
        if (circuit != null) {
            Circuit.Snapshot c = circuit.snapshot();
            line += "; circuit " + c.state() + (c.failureRatePercent() < 0 ? "" : ", failure rate " + c.failureRatePercent() + "%")
                    + " over " + c.calls() + " calls, " + c.shortCircuited() + " short-circuited";
        }
        return line;
    }

    /** Adds this pool's servers (in the rotation or not) and its circuit to what a scrape shows. */
    /** Adds the URLs of the servers the pool holds now: its registry's instances, or its static servers. */
    void addServerUrls(Set<String> urls) {
        for (Upstream server : current().servers()) {
            urls.add(server.url());
        }
    }

    void report(String pipeline, String proxy, String poolName, List<UpstreamStates.Server> servers,
                List<UpstreamStates.Circuit> circuits) {
        Members members = current();
        for (Upstream server : members.servers()) {
            servers.add(new UpstreamStates.Server(pipeline, proxy, poolName, server.url(), members.healthy(server),
                    outliers != null && outliers.isEjected(server)));
        }
        if (circuit != null) {
            circuits.add(new UpstreamStates.Circuit(pipeline, proxy, poolName, circuit.state().name()));
        }
    }

    /** In the rotation: not failing its health checks and not ejected as an outlier. */
    private boolean available(Members members, Upstream server) {
        return members.healthy(server) && (outliers == null || !outliers.isEjected(server));
    }

    /** Stops the health checks. */
    synchronized void close() {
        closed = true;
        staticMembers.close();
        fromRegistry.close();
    }

    /** The exchange broke off through the client's fault (a body too large or malformed, the client gone): the server is not to blame. */
    void abandonedByClient(Upstream server) {
        Members members = current();
        if (members.balancer() != null) {
            members.balancer().finished(server);
        }
    }

    /** The exchange with {@code server} has its answer ({@code head}), or failed ({@code head} null). */
    void finished(Upstream server, HttpResponse head) {
        // Balancers ignore servers they do not hold, so a change of members in between is harmless.
        Members members = current();
        if (members.balancer() != null) {
            members.balancer().finished(server);
        }
        if (members.sticky() != null && head != null) {
            members.sticky().onResponse(server, head);
        }
        if (outliers != null) {
            outliers.record(server, head == null || head.status().code() >= 500, members.servers());
        }
    }
}
