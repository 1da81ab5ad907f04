package io.edgegate.egctl;

import io.edgegate.spec.ObjectKind;

/** Resolves what the user typed (kind or alias, any case) to a kind name, or explains the choices. */
final class Kinds {

    private Kinds() {
    }

    static String resolve(String typed) {
        return ObjectKind.lookup(typed).map(ObjectKind::kindName).orElseThrow(() -> new CommandFailure(
                "unknown kind '" + typed + "'; see 'egctl api-resources' (kinds: "
                        + String.join(", ", ObjectKind.kindNames()) + ", members)"));
    }
}
