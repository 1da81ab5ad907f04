package io.edgegate.controlplane.discovery;

/** Told each time a node confirms it applied a revision (for the write→ACK propagation metric). */
@FunctionalInterface
public interface AckObserver {

    void applied(String nodeId, String epoch, long revision);
}
