package io.rtmfp4j.cli;

import io.rtmfp4j.bench.GroupSimulation;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtmfp bench group}: a NetGroup of many members on a simulated network. */
@Command(name = "group", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs a NetGroup of N members through one rendezvous server on a simulated network (virtual "
                + "clock, the same RTT and loss on every link) and prints as JSON: how long the overlay takes to "
                + "converge after the last join (convergedMs), the coverage and delay of postings (postingCoverage, "
                + "postingP50Ms, postingP99Ms), the hops of messages routed to the member nearest random addresses "
                + "(routingHopsMedian, routingHopsMax) and the posting bytes every member sends per posting "
                + "(bytesPerMemberPerPost).",
                "Everything runs in this process on one thread, on virtual time: a run of 1000 members takes a "
                        + "few minutes of CPU. The same seed gives the same run."})
final class BenchGroupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--peers", paramLabel = "N", defaultValue = "1000",
            description = "Members, 2..20000 (default: ${DEFAULT-VALUE}).")
    int peers;

    @Option(names = "--rtt", paramLabel = "MS", defaultValue = "50",
            description = "Round-trip time between any two hosts, 1..10000 ms (default: ${DEFAULT-VALUE}).")
    long rtt;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0.01",
            description = "Loss rate of every link, 0 to 0.5 (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--posts", paramLabel = "N", defaultValue = "20",
            description = "Postings measured, 1..1000 (default: ${DEFAULT-VALUE}).")
    int posts;

    @Option(names = "--routes", paramLabel = "N", defaultValue = "200",
            description = "Directed messages measured, 1..10000 (default: ${DEFAULT-VALUE}).")
    int routes;

    @Option(names = "--post-size", paramLabel = "BYTES", defaultValue = "100",
            description = "Characters of text in each posting, 1..60000 (default: ${DEFAULT-VALUE}); "
                    + "amplification in the JSON is the posting bytes each member sent per posting over this.")
    int postSize;

    @Option(names = "--seed", paramLabel = "S", description = "The simulation's seed (default: a random one, printed).")
    Long seed;

    @Override
    public Integer call() {
        Misuse.check(spec, peers >= 2 && peers <= 20_000, "--peers must be 2..20000, got " + peers);
        Misuse.check(spec, rtt >= 1 && rtt <= 10_000, "--rtt must be 1..10000 ms, got " + rtt);
        Misuse.check(spec, loss >= 0 && loss <= 0.5, "--loss must be 0..0.5, got " + loss);
        Misuse.check(spec, posts >= 1 && posts <= 1000, "--posts must be 1..1000, got " + posts);
        Misuse.check(spec, routes >= 1 && routes <= 10_000, "--routes must be 1..10000, got " + routes);
        Misuse.check(spec, postSize >= 1 && postSize <= 60_000, "--post-size must be 1..60000, got " + postSize);
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        BenchCommand.quietServerLog();
        GroupSimulation.Result r = GroupSimulation.run(new GroupSimulation.Params(peers, rtt, loss, s, posts, routes, postSize));
        PrintWriter out = spec.commandLine().getOut();
        out.println(r.toJson());
        out.flush();
        if (r.convergedMs() < 0 || r.postingCoverage() < 1) {
            spec.commandLine().getErr().println("rtmfp bench group: " + (r.convergedMs() < 0
                    ? "the overlay did not converge" : "some postings were not delivered"));
            return 1;
        }
        return 0;
    }
}
