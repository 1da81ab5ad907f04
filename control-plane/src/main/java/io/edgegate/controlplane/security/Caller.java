package io.edgegate.controlplane.security;

import io.grpc.Context;
import java.util.Optional;

/** Who made an API call: the token's name and role. Absent on a control plane run with --insecure. */
public record Caller(String name, Role role) {

    static final Context.Key<Caller> KEY = Context.key("edgegate-caller");

    /** The caller of the call this thread serves, if the control plane authenticates callers. */
    public static Optional<Caller> current() {
        return Optional.ofNullable(KEY.get());
    }
}
