package io.edgegate.cli;

import picocli.CommandLine;

/**
 * The version recorded in the jars' manifests at build time (all modules share it), and
 * {@code --version} for each command line: a subclass names the program.
 */
public abstract class ProductVersion implements CommandLine.IVersionProvider {

    private final String program;

    protected ProductVersion(String program) {
        this.program = program;
    }

    public static String current() {
        String version = ProductVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {program + " " + current()};
    }
}
