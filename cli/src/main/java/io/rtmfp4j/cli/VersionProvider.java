package io.rtmfp4j.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest, so it always matches the build. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Rtmfp.class.getPackage().getImplementationVersion();
        return new String[] {"rtmfp4j " + (v == null ? "development build" : v),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
