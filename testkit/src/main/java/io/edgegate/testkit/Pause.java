package io.edgegate.testkit;

/** The poll interval of loops that wait for an outside process to reach a state they cannot be told about. */
final class Pause {

    private Pause() {
    }

    static void briefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
