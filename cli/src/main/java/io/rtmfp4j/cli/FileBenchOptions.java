package io.rtmfp4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options of the benchmarks that send a file between two peers ({@code bench p2p}, {@code bench relay}). */
final class FileBenchOptions {
    @Option(names = "--size", paramLabel = "MB", defaultValue = "100",
            description = "Size of the file transferred, in MiB, 1..16384 (default: ${DEFAULT-VALUE}).")
    int sizeMb = 100;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Measured rounds of transfers, 1..100 (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3",
            description = "Unmeasured rounds first, 0..100: a fresh JVM compiles during its first transfers "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmups = 3;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the test file and its copies go (default: the temporary directory).")
    Path dir;

    /** Misuse, said as picocli says it, for a value out of range. */
    void validate(CommandSpec spec) {
        if (sizeMb < 1 || sizeMb > 16384) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size must be 1..16384 MiB, got " + sizeMb);
        }
        if (rounds < 1 || rounds > 100) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be 1..100, got " + rounds);
        }
        if (warmups < 0 || warmups > 100) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--warmup must be 0..100, got " + warmups);
        }
    }

    long fileBytes() {
        return (long) sizeMb << 20;
    }

    /** A fresh directory for the run's files, under --dir or the temporary directory. */
    Path workDir(String prefix) throws IOException {
        return Files.createTempDirectory(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir, prefix);
    }
}
