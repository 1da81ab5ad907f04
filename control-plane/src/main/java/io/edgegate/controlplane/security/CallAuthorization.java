package io.edgegate.controlplane.security;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.api.v1.TokenServiceGrpc;
import io.edgegate.controlplane.store.StoreUnavailableException;
import io.edgegate.security.NodeIdentity;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Who may call what. A data plane's config stream needs a client certificate of the cluster CA
 * naming a node (the stream's node id is then checked against it); every other call needs a
 * bearer token whose role allows the method. Refusals say how to get in, never why a token failed.
 */
public final class CallAuthorization implements ServerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(CallAuthorization.class);
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** The node id a config stream's certificate names. */
    public static final Context.Key<NodeCertificate> CERTIFIED_NODE = Context.key("edgegate-certified-node");
    /** Whether the token a call came with is still valid now: long-lived streams ask again as they go. */
    private static final Context.Key<BooleanSupplier> TOKEN_STILL_VALID = Context.key("edgegate-token-still-valid");
    /** False when etcd could not be asked and the token's last check let the call in (see {@link #READS_DURING_OUTAGE}). */
    private static final Context.Key<Boolean> TOKEN_CHECKED_NOW = Context.key("edgegate-token-checked-now");
    private static final String HOW_TO_GET_ONE = "send a token (--token, EGCTL_TOKEN or an egctl context); an admin makes one with "
            + "'egctl token create --role viewer --name NAME', and the first admin token is in the control plane's admin token file";

    private final Tokens tokens;
    private final String trustDomain;
    private final CallRateLimit rateLimit;
    /** Failed authentications per client address. */
    private final CallRateLimit failures = new CallRateLimit(FAILURES_PER_SECOND, System::nanoTime);
    private final SecurityCounters counters;
    /** Whether the CAs trusted now still sign a node's chain: a connection made before they changed opens no stream. */
    private final Predicate<List<X509Certificate>> stillTrusted;
    private final MethodRoles roles = new MethodRoles();
    /**
     * What a token last found valid may still call while etcd cannot be reached: reads this replica answers
     * from memory (the cluster's state, its cached objects without secrets). An outage is when an operator
     * needs them most.
     */
    private static final Set<String> READS_DURING_OUTAGE = Set.of(
            ObjectServiceGrpc.getGetMethod().getFullMethodName(),
            ObjectServiceGrpc.getListMethod().getFullMethodName(),
            ClusterServiceGrpc.getDescribeMethod().getFullMethodName(),
            ClusterServiceGrpc.getListMembersMethod().getFullMethodName(),
            ClusterServiceGrpc.getWaitForRevisionMethod().getFullMethodName(),
            ClusterServiceGrpc.getWatchMethod().getFullMethodName(),
            TokenServiceGrpc.getWhoAmIMethod().getFullMethodName());
    private static final double FAILURES_PER_SECOND = 10;

    public CallAuthorization(Tokens tokens, String trustDomain, double callsPerSecondPerToken, SecurityCounters counters,
                             Predicate<List<X509Certificate>> stillTrusted) {
        this.tokens = tokens;
        this.trustDomain = trustDomain;
        this.rateLimit = new CallRateLimit(callsPerSecondPerToken, System::nanoTime);
        this.counters = counters;
        this.stillTrusted = stillTrusted;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getServiceName().equals(ConfigDiscoveryGrpc.SERVICE_NAME)) {
            return node(call, headers, next);
        }
        String address = clientAddress(call);
        if (failures.exhausted(address)) {
            return refuse(call, Status.RESOURCE_EXHAUSTED.withDescription("too many failed authentications from " + address
                    + "; wait a second"), () -> counters.rateLimited());
        }
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            failures.tryAcquire(address);
            return refuse(call, Status.UNAUTHENTICATED.withDescription("no token: " + HOW_TO_GET_ONE), () -> counters.unauthenticated());
        }
        Optional<Caller> caller;
        boolean checkedNow = true;
        try {
            caller = tokens.authenticate(header.substring(7).trim());
        } catch (StoreUnavailableException e) {
            caller = READS_DURING_OUTAGE.contains(call.getMethodDescriptor().getFullMethodName())
                    ? tokens.lastKnown(header.substring(7).trim()) : Optional.empty();
            if (caller.isEmpty()) {
                return refuse(call, Status.UNAVAILABLE.withDescription("cannot check the token: etcd is unreachable (a token this "
                        + "control plane found valid in the last " + Tokens.OUTAGE_LIMIT.toMinutes() + " minutes can still read: "
                        + "egctl health, get, describe, wait, watch)"), () -> { });
            }
            checkedNow = false;
        }
        if (caller.isEmpty()) {
            failures.tryAcquire(address);
            return refuse(call, Status.UNAUTHENTICATED.withDescription("the token is unknown, revoked or expired: " + HOW_TO_GET_ONE),
                    () -> counters.unauthenticated());
        }
        MethodRoles.Need need = roles.of(call.getMethodDescriptor());
        Role role = caller.get().role();
        if (!role.allows(need.role())) {
            log.info("refused {} to token {} (role {})", call.getMethodDescriptor().getFullMethodName(), caller.get().name(), role.label());
            return refuse(call, Status.PERMISSION_DENIED.withDescription("role " + role.label() + " cannot " + need.verb()
                    + " (needs " + need.role().label() + ")"), () -> counters.denied());
        }
        if (!rateLimit.tryAcquire(caller.get().name())) {
            return refuse(call, Status.RESOURCE_EXHAUSTED.withDescription("token " + caller.get().name() + " made more than "
                    + (long) rateLimit.perSecond() + " calls per second; slow down"), () -> counters.rateLimited());
        }
        String token = header.substring(7).trim();
        BooleanSupplier stillValid = () -> {
            try {
                return tokens.authenticate(token).isPresent();
            } catch (StoreUnavailableException e) {
                return true; // etcd unreachable says nothing of the token: a blip must not cut every watch
            }
        };
        Context context = Context.current().withValue(Caller.KEY, caller.get()).withValue(TOKEN_STILL_VALID, stillValid)
                .withValue(TOKEN_CHECKED_NOW, checkedNow);
        return Contexts.interceptCall(context, call, headers, next);
    }

    /**
     * For the call this thread serves: whether its token is still valid (revoked or expired since the call
     * began: false). Calls of a control plane without tokens, and node streams, are always valid here.
     */
    public static BooleanSupplier tokenStillValid() {
        BooleanSupplier check = TOKEN_STILL_VALID.get();
        return check != null ? check : () -> true;
    }

    /**
     * For the call this thread serves: whether its token was checked against etcd as it began. Secrets are shown
     * only then: a token revoked through another replica during an outage must not read them from a cache.
     */
    public static boolean tokenCheckedNow() {
        Boolean checked = TOKEN_CHECKED_NOW.get();
        return checked == null || checked;
    }

    private <Q, R> ServerCall.Listener<Q> node(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        List<X509Certificate> chain = peerChain(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        Optional<X509Certificate> certificate = chain.stream().findFirst();
        Optional<String> nodeId = certificate.flatMap(c -> NodeIdentity.nodeIdOf(c, trustDomain));
        if (nodeId.isEmpty()) {
            log.warn("refused a config stream from {}: no node certificate of trust domain {}",
                    call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), trustDomain);
            return refuse(call, Status.UNAUTHENTICATED.withDescription("a data plane must present a client certificate of the "
                    + "cluster CA naming it (" + NodeIdentity.uri(trustDomain, "<node-id>") + ")"), counters::refusedNode);
        }
        if (!stillTrusted.test(chain)) {
            // The handshake was made under CAs since replaced: the connection stays, its streams do not.
            log.warn("refused a config stream from {}: node {}'s certificate is no longer signed by a CA the control plane trusts",
                    call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), nodeId.get());
            return refuse(call, Status.UNAUTHENTICATED.withDescription("the node's certificate is no longer signed by a CA the "
                    + "control plane trusts"), counters::refusedNode);
        }
        NodeCertificate named = new NodeCertificate(nodeId.get(), certificate.get().getSerialNumber().toString(16),
                certificate.get().getNotAfter().toInstant(), chain);
        Context context = Context.current().withValue(CERTIFIED_NODE, named);
        return Contexts.interceptCall(context, call, headers, next);
    }

    private static String clientAddress(ServerCall<?, ?> call) {
        java.net.SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        return remote instanceof java.net.InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(remote);
    }

    /** The client's certificate chain, its own first; empty without one. */
    private static List<X509Certificate> peerChain(SSLSession session) {
        if (session == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : session.getPeerCertificates()) {
                if (!(certificate instanceof X509Certificate x509)) {
                    return List.of();
                }
                chain.add(x509);
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status, Runnable count) {
        count.run();
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
