package io.rtmfp4j.cli;

import io.rtmfp4j.bench.ProcessCpu;
import io.rtmfp4j.bench.RelayLoad;
import io.rtmfp4j.flash.net.RtmfpUri;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtmfp bench relay}: goodput through the server's relay against a direct session, and the server's CPU for it. */
@Command(name = "relay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Two peers of a rendezvous server on loopback send the same file alternately over a direct "
                + "session and through the server's relay, and it prints as JSON the goodput of each (Mbit/s) and "
                + "the CPU the server's process spent meanwhile, as percent of one core per relayed Mbit/s.",
                "Without --server, 'rtmfp server' runs as a separate process on 127.0.0.1 (so its CPU is its own) "
                        + "with the relay's rate limit lifted. A server given with --server must run on this machine "
                        + "for the CPU figures, and its --relay-kbps bounds the relayed rate."})
final class BenchRelayCommand implements Callable<Integer> {
    /** The child server's relay limit per client: far above what loopback carries, so the relay's own speed shows. */
    private static final String UNLIMITED_KBPS = "100000000";

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URI", description = "Rendezvous server to use (default: one started for the run).")
    String server;

    @Mixin
    FileBenchOptions file = new FileBenchOptions();

    @Override
    public Integer call() throws Exception {
        file.validate(spec);
        RtmfpUri remote = server == null ? null : BenchCommand.serverUri(spec, server);
        Path work = file.workDir("rtmfp-bench-relay");
        Process child = null;
        try {
            String uri;
            OptionalLong pid;
            if (remote != null) {
                uri = remote.text();
                pid = ProcessCpu.findByUdpPort(BenchCommand.firstAddress(remote).getPort())
                        .map(OptionalLong::of).orElse(OptionalLong.empty());
            } else {
                int port = freeUdpPort();
                child = startServer(port);
                uri = "rtmfp://127.0.0.1:" + port + "/bench";
                pid = OptionalLong.of(child.pid());
            }
            RelayLoad.Result result = RelayLoad.run(new RelayLoad.Params(uri, pid, file.fileBytes(), file.warmups,
                    file.rounds, work));
            PrintWriter out = spec.commandLine().getOut();
            out.println(result.toJson());
            out.flush();
            return 0;
        } finally {
            if (child != null) {
                child.destroy();
                if (!child.waitFor(10, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            }
            Files.deleteIfExists(work);
        }
    }

    /** A UDP port free on 127.0.0.1 a moment ago, for the child server. */
    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * {@code rtmfp server} in a JVM of its own, from this one's classpath; the run's first
     * connection waits for it to answer (its handshake retries).
     */
    private static Process startServer(int port) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(List.of(java, "-Drtmfp.log.level=WARN", "-cp", System.getProperty("java.class.path"),
                Rtmfp.class.getName(),
                "server", "--bind", "127.0.0.1", "--port", "" + port, "--admin", "off", "--tcp", "off",
                "--relay-kbps", UNLIMITED_KBPS))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
