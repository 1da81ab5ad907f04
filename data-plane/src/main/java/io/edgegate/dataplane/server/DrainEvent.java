package io.edgegate.dataplane.server;

/** Tells a connection its listener is going away: finish the request in flight, then close. */
enum DrainEvent {
    INSTANCE
}
