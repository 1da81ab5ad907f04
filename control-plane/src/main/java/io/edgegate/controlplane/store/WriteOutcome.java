package io.edgegate.controlplane.store;

/** Result of a guarded transaction: committed at {@code revision}, or refused because a guard no longer held. */
public record WriteOutcome(boolean committed, long revision) {
}
