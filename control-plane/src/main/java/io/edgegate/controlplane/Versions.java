package io.edgegate.controlplane;

import io.edgegate.cli.ProductVersion;

/** {@code --version} of the control plane. */
public final class Versions extends ProductVersion {

    public Versions() {
        super("EdgeGate control plane");
    }
}
