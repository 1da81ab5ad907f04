package io.edgegate.dataplane.server;

/**
 * Whether a client has taken nothing of what a connection writes for a whole idle period: the
 * channel was unwritable at two idle events in a row and not once writable between them. One
 * event is not enough: a channel that filled a moment before it is a client that is reading.
 * Fed by writability changes only, so a write costs nothing. Used on the connection's event loop.
 */
final class SendStall {

    private boolean unwritableAtLastCheck;
    private boolean writableSinceLastCheck;

    void writabilityChanged(boolean writable) {
        writableSinceLastCheck |= writable;
    }

    /** At an idle event, with the channel's writability now: whether the client took nothing since the previous one. */
    boolean stalledAt(boolean writable) {
        boolean stalled = !writable && unwritableAtLastCheck && !writableSinceLastCheck;
        unwritableAtLastCheck = !writable;
        writableSinceLastCheck = false;
        return stalled;
    }
}
