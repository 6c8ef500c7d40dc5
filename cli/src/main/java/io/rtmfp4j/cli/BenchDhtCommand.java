package io.rtmfp4j.cli;

import io.rtmfp4j.bench.DhtSimulation;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtmfp bench dht}: the GroupStore among many members on a simulated network, under churn. */
@Command(name = "dht", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs the GroupStore (a DHT on NetGroup directed routing) on a simulated network (virtual "
                + "clock): N members, K keys each written from a random member, then a fraction F of the members "
                + "leaving without a word (and as many joining) in waves the store repairs between, then every key "
                + "looked up from a random member. Prints as JSON the keys found with their value "
                + "(retrievableRatio), the lookups' hops (lookupHopsMedian, lookupHopsP99, lookupHopsMax, against "
                + "hopBound = ceil(log2 N) + 2) and the store messages sent, by kind.",
                "Everything runs in this process on one thread: 1000 members take tens of minutes of CPU (each wave "
                        + "waits about a minute of virtual time for the sessions of the members that left to time "
                        + "out). The same seed gives the same run. After each step (converged, written, each wave, looked "
                        + "up) a JSON line on stderr says how far it got. Exits 1 if a key was not found."})
final class BenchDhtCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--peers", paramLabel = "N", defaultValue = "1000",
            description = "Members, 4..2000 (default: ${DEFAULT-VALUE}).")
    int peers;

    @Option(names = "--keys", paramLabel = "K", defaultValue = "10000",
            description = "Keys written and looked up, 1..100000 (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--churn", paramLabel = "F", defaultValue = "0.2",
            description = "Fraction of the members that leave (as many join), 0 to 0.9 (default: ${DEFAULT-VALUE}).")
    double churn;

    @Option(names = "--waves", paramLabel = "W", defaultValue = "20",
            description = "In how many waves they leave, 1..100 (default: ${DEFAULT-VALUE}).")
    int waves;

    @Option(names = "--rtt", paramLabel = "MS", defaultValue = "50",
            description = "Round-trip time between any two hosts, 1..10000 ms (default: ${DEFAULT-VALUE}).")
    long rtt;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0",
            description = "Loss rate of every link, 0 to 0.5 (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--seed", paramLabel = "S", description = "The simulation's seed (default: a random one, printed).")
    Long seed;

    @Override
    public Integer call() {
        Misuse.check(spec, peers >= 4 && peers <= 2000, "--peers must be 4..2000, got " + peers);
        Misuse.check(spec, keys >= 1 && keys <= 100_000, "--keys must be 1..100000, got " + keys);
        Misuse.check(spec, churn >= 0 && churn <= 0.9, "--churn must be 0..0.9, got " + churn);
        Misuse.check(spec, waves >= 1 && waves <= 100, "--waves must be 1..100, got " + waves);
        Misuse.check(spec, rtt >= 1 && rtt <= 10_000, "--rtt must be 1..10000 ms, got " + rtt);
        Misuse.check(spec, loss >= 0 && loss <= 0.5, "--loss must be 0..0.5, got " + loss);
        long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        BenchCommand.quietServerLog();
        PrintWriter err = spec.commandLine().getErr();
        DhtSimulation.Result r = DhtSimulation.run(new DhtSimulation.Params(peers, keys, churn, waves, rtt, loss, runSeed),
                line -> {
                    err.println(line);
                    err.flush();
                });
        PrintWriter out = spec.commandLine().getOut();
        out.println(r.toJson());
        out.flush();
        if (r.retrievableRatio() < 1) {
            err.println("rtmfp bench dht: some keys were not found");
            return 1;
        }
        return 0;
    }
}
