package io.edgegate.controlplane.security;

import java.util.Locale;
import java.util.Optional;

/** What a token may do; each role may do everything the roles before it may. */
public enum Role {
    /** get, describe, watch, members. */
    VIEWER,
    /** + apply, create, delete, forget members. */
    OPERATOR,
    /** + tokens, secrets shown, accepting a restored store. */
    ADMIN;

    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        for (Role role : values()) {
            if (role.label().equals(text)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
