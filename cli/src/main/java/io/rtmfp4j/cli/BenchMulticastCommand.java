package io.rtmfp4j.cli;

import io.rtmfp4j.bench.MulticastLoopback;
import io.rtmfp4j.bench.MulticastSimulation;
import io.rtmfp4j.server.RendezvousServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtmfp bench multicast}: one publisher's live stream multicast to many viewers, simulated. */
@Command(name = "multicast", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs one publisher and N viewers of a NetGroup multicast stream through one rendezvous server "
                + "on a simulated network (virtual clock, the same RTT and loss on every link, each viewer's upload "
                + "limited) and prints as JSON: the share of frames every remaining viewer played from where it "
                + "started (deliveredRatio, worstViewerRatio), the 99th percentile of publish-to-play delay "
                + "(p99DelayMs), the 90th percentile of play-to-first-frame of the viewers that join while the stream "
                + "runs (firstFrameP90Ms), the publisher's upload over the stream's bytes (sourceUploadRatio), and "
                + "the share of the fragments viewers received that answered their pulls (pulledRatio; simulated "
                + "only: pushes should carry the stream, pulls only repair).",
                "The stream is synthetic video at --rate, 25 frames a second, a key frame every second. Everything "
                        + "runs in this process on one thread, on virtual time. The same seed gives about the same "
                        + "run.",
                "With --loopback the members are real connections instead, each with its own socket and event "
                        + "loop on 127.0.0.1, through a rendezvous server in this process, in real time (--peers at "
                        + "most 20; a third of the viewers join late; --rtt, --loss, --uplink, --late, --churn and "
                        + "--seed do not apply)."})
final class BenchMulticastCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--peers", paramLabel = "N", defaultValue = "100",
            description = "Viewers, 1..5000 (default: ${DEFAULT-VALUE}).")
    int peers;

    @Option(names = "--rate", paramLabel = "KBPS", defaultValue = "1000",
            description = "The stream's rate in kbit/s, 8..20000 (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--rtt", paramLabel = "MS", defaultValue = "50",
            description = "Round-trip time between any two hosts, 1..10000 ms (default: ${DEFAULT-VALUE}).")
    long rtt;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0.01",
            description = "Loss rate of every link, 0 to 0.5 (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--uplink", paramLabel = "FACTOR", defaultValue = "3",
            description = "Each viewer's upload over the stream's rate, 0 for unlimited (default: ${DEFAULT-VALUE}).")
    double uplink;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "20",
            description = "How long the stream runs, 4..600 s of virtual time (default: ${DEFAULT-VALUE}).")
    long duration;

    @Option(names = "--late", paramLabel = "FRACTION", defaultValue = "0.1",
            description = "Viewers that start playing while the stream runs, 0..1 (default: ${DEFAULT-VALUE}).")
    double late;

    @Option(names = "--churn", paramLabel = "FRACTION", defaultValue = "0",
            description = "Viewers that leave abruptly half-way, 0..0.9 (default: ${DEFAULT-VALUE}).")
    double churn;

    @Option(names = "--seed", paramLabel = "S", description = "The simulation's seed (default: a random one, printed).")
    Long seed;

    @Option(names = "--loopback", description = "Real sockets on 127.0.0.1 and real time instead of the simulator.")
    boolean loopback;

    @Override
    public Integer call() throws Exception {
        Misuse.check(spec, peers >= 1 && peers <= 5000, "--peers must be 1..5000, got " + peers);
        Misuse.check(spec, rate >= 8 && rate <= 20_000, "--rate must be 8..20000 kbit/s, got " + rate);
        Misuse.check(spec, rtt >= 1 && rtt <= 10_000, "--rtt must be 1..10000 ms, got " + rtt);
        Misuse.check(spec, loss >= 0 && loss <= 0.5, "--loss must be 0..0.5, got " + loss);
        Misuse.check(spec, uplink >= 0 && uplink <= 100, "--uplink must be 0..100, got " + uplink);
        Misuse.check(spec, duration >= 4 && duration <= 600, "--duration must be 4..600 s, got " + duration);
        Misuse.check(spec, late >= 0 && late <= 1, "--late must be 0..1, got " + late);
        Misuse.check(spec, churn >= 0 && churn <= 0.9, "--churn must be 0..0.9, got " + churn);
        if (loopback) {
            Misuse.check(spec, peers <= 20, "--peers must be 1..20 with --loopback, got " + peers);
            RendezvousServer server = BenchP2pCommand.localServer();
            try {
                String uri = "rtmfp://127.0.0.1:" + server.localAddresses().get(0).getPort() + "/bench";
                print(MulticastLoopback.run(new MulticastLoopback.Params(uri, peers, rate, duration)).toJson());
            } finally {
                server.close();
            }
            return 0;
        }
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        BenchCommand.quietServerLog();
        MulticastSimulation.Result r = MulticastSimulation.run(new MulticastSimulation.Params(peers, rate, rtt, loss,
                uplink, duration, late, churn, s));
        print(r.toJson());
        return 0;
    }

    private void print(String json) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(json);
        out.flush();
    }
}
