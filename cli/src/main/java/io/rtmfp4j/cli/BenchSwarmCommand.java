package io.rtmfp4j.cli;

import io.rtmfp4j.bench.SwarmSimulation;
import io.rtmfp4j.flash.group.ReplicationStrategy;
import io.rtmfp4j.flash.swarm.SwarmManifest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtmfp bench swarm}: a swarming download among many members on a simulated network. */
@Command(name = "swarm", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs a swarming download on a simulated network (virtual clock): one member shares a file of "
                + "SIZE MB, the other N - 1 fetch it at once through NetGroup object replication, every member's "
                + "upload limited to the same rate. Prints as JSON the downloaders that completed (completedRatio), "
                + "the time until the last one did (timeToAllMs) against the ideal (idealMs: file size x "
                + "downloaders / everyone's upload, never less than the seed's time to send one copy), and what the "
                + "seed uploaded over the file's size (seedUploadRatio).",
                "Everything runs in this process on one thread: 100 members and 100 MB take tens of minutes of CPU "
                        + "and a few GB of heap; every 10 simulated seconds a line on stderr says how far it got "
                        + "(downloaders complete, share of the chunks held). The same seed gives the same run. Exits 1 if a downloader that "
                        + "stayed did not complete or anything corrupt was kept."})
final class BenchSwarmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--peers", paramLabel = "N", defaultValue = "100",
            description = "Members: one seed and N - 1 downloaders, 2..1000 (default: ${DEFAULT-VALUE}).")
    int peers;

    @Option(names = "--size", paramLabel = "MB", defaultValue = "100",
            description = "The file's size in MiB, 1..1024 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--chunk", paramLabel = "KB", defaultValue = "64",
            description = "The chunk size in KiB, a power of two, 1..16384 (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--uplink", paramLabel = "MBIT", defaultValue = "10",
            description = "Every member's upload rate in Mbit/s, 0.01..10000 (default: ${DEFAULT-VALUE}).")
    double uplink;

    @Option(names = "--rtt", paramLabel = "MS", defaultValue = "50",
            description = "Round-trip time between any two hosts, 1..10000 ms (default: ${DEFAULT-VALUE}).")
    long rtt;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0",
            description = "Loss rate of every link, 0 to 0.5 (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--strategy", paramLabel = "S", defaultValue = "rarestFirst",
            description = "The downloaders' replication strategy: rarestFirst or lowestFirst (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--leave", paramLabel = "F", defaultValue = "0",
            description = "Fraction of the downloaders that crash halfway through the ideal time, 0 to 0.9 "
                    + "(default: ${DEFAULT-VALUE}).")
    double leave;

    @Option(names = "--liars", paramLabel = "N", defaultValue = "0",
            description = "Members besides the N that claim every chunk and send garbage, 0..100 (default: ${DEFAULT-VALUE}).")
    int liars;

    @Option(names = "--seed", paramLabel = "S", description = "The simulation's seed (default: a random one, printed).")
    Long seed;

    @Override
    public Integer call() {
        Misuse.check(spec, peers >= 2 && peers <= 1000, "--peers must be 2..1000, got " + peers);
        Misuse.check(spec, size >= 1 && size <= 1024, "--size must be 1..1024 MiB, got " + size);
        Misuse.check(spec, chunk >= 1 && chunk <= 16384 && Integer.bitCount(chunk) == 1,
                "--chunk must be a power of two, 1..16384 KiB, got " + chunk);
        Misuse.check(spec, uplink >= 0.01 && uplink <= 10_000, "--uplink must be 0.01..10000 Mbit/s, got " + uplink);
        Misuse.check(spec, rtt >= 1 && rtt <= 10_000, "--rtt must be 1..10000 ms, got " + rtt);
        Misuse.check(spec, loss >= 0 && loss <= 0.5, "--loss must be 0..0.5, got " + loss);
        Misuse.check(spec, leave >= 0 && leave <= 0.9, "--leave must be 0..0.9, got " + leave);
        Misuse.check(spec, liars >= 0 && liars <= 100, "--liars must be 0..100, got " + liars);
        ReplicationStrategy s = ReplicationStrategy.fromFlashName(strategy);
        Misuse.check(spec, s != null, "--strategy must be rarestFirst or lowestFirst, got '" + TerminalText.clean(strategy) + "'");
        long sizeBytes = (long) size << 20;
        int chunkBytes = chunk << 10;
        Misuse.check(spec, sizeBytes / chunkBytes <= SwarmManifest.MAX_CHUNKS,
                "--chunk: at most " + SwarmManifest.MAX_CHUNKS + " chunks, --size / --chunk is "
                        + sizeBytes / chunkBytes);
        long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        BenchCommand.quietServerLog();
        SwarmSimulation.Result r = SwarmSimulation.run(new SwarmSimulation.Params(peers, sizeBytes, chunkBytes,
                Math.round(uplink * 1e6 / 8), rtt, loss, s, leave, liars, runSeed), line -> {
                    PrintWriter err = spec.commandLine().getErr();
                    err.println(line);
                    err.flush();
                });
        PrintWriter out = spec.commandLine().getOut();
        out.println(r.toJson());
        out.flush();
        if (r.completedRatio() < 1 || r.corruptWrites() > 0 || r.leftCorrupt() > 0) {
            spec.commandLine().getErr().println("rtmfp bench swarm: " + (r.completedRatio() < 1
                    ? "some downloaders did not complete" : "corrupt chunks were kept"));
            return 1;
        }
        return 0;
    }
}
