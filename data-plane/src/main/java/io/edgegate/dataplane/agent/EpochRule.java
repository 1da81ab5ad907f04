package io.edgegate.dataplane.agent;

/**
 * Which updates a node takes across store epochs: any from its own epoch; a full snapshot of a
 * later one, whatever its revision (the store's history changed and the snapshot replaces the
 * config); nothing of an earlier one, such as a control plane still on an old store's history.
 * A node with no epoch yet (new, or a config from before epochs) takes anything.
 */
final class EpochRule {

    private EpochRule() {
    }

    /**
     * Why the update is refused, or null when it is taken. {@code whole}: the update gives a whole config of its epoch
     * (a full snapshot, or a delta on a stream that holds a full snapshot of that epoch).
     */
    static String refusal(String runs, String offered, boolean whole) {
        if (runs.isEmpty() || runs.equals(offered)) {
            return null;
        }
        if (offered.compareTo(runs) < 0) {
            return "epoch " + (offered.isEmpty() ? "none" : offered) + " is older than the epoch this node runs (" + runs
                    + "): a control plane on an earlier history of the store?";
        }
        return whole ? null : "a partial update of epoch " + offered + " while this node runs epoch " + runs;
    }
}
