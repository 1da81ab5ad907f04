package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Member;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where replicas share member records, so any replica can list every node. Records are kept
 * after their replica is gone, so a node that lost its control plane stays listed; whether a
 * replica is alive is a separate key under its lease, which dies with it.
 */
public interface MemberBackend extends AutoCloseable {

    /** Writes the records. Completes with the generation of this replica's lease (see {@link #announce}). */
    CompletableFuture<Long> publish(List<Member> members);

    /** Removes a node's record. */
    CompletableFuture<Void> remove(String nodeId);

    /**
     * Makes sure this replica is listed as alive under a live lease. Completes with the lease's
     * generation: a new one means the store lost the old lease (it restarted, or its history
     * changed), so records written since may be gone too and are written again.
     */
    CompletableFuture<Long> announce();

    /** Every record, then each change, until closed. {@code onReset} is called before a full reload. */
    AutoCloseable watch(MemberListener listener);

    @Override
    void close();

    /** Receives the shared records. */
    interface MemberListener {

        /** The complete set of records, replacing what was known. */
        void reset(List<Member> members);

        void upserted(Member member);

        void removed(String nodeId);

        /** The replicas alive now (each with a live lease). */
        void replicas(java.util.Set<String> alive);
    }
}
