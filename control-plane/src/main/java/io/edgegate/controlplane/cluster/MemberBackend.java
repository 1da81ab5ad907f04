package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Member;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where replicas share member records, so any replica can list every node. A replica's
 * records live under its lease: if the replica dies they go away with it.
 */
public interface MemberBackend extends AutoCloseable {

    /** Writes the records under this replica's lease. Completes with the lease generation used. */
    CompletableFuture<Long> publish(List<Member> members);

    /** Removes a node's record. */
    CompletableFuture<Void> remove(String nodeId);

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
    }
}
