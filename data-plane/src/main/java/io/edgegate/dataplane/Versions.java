package io.edgegate.dataplane;

import io.edgegate.cli.ProductVersion;

/** {@code --version} of the data plane. */
public final class Versions extends ProductVersion {

    public Versions() {
        super("EdgeGate data plane");
    }
}
