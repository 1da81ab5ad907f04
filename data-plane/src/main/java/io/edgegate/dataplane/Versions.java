package io.edgegate.dataplane;

import picocli.CommandLine;

/** The version recorded in the jar's manifest at build time. */
public final class Versions implements CommandLine.IVersionProvider {

    public static String current() {
        String version = Versions.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"EdgeGate data plane " + current()};
    }
}
