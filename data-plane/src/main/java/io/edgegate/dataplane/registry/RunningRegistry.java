package io.edgegate.dataplane.registry;

import io.edgegate.spec.ObjectSpec;

/** A service registry object of the config and the client that follows it. */
public record RunningRegistry(ObjectSpec spec, ServiceRegistry registry) {
}
