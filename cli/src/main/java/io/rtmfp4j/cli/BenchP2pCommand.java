package io.rtmfp4j.cli;

import io.rtmfp4j.bench.P2pLoad;
import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.server.RendezvousServer;
import io.rtmfp4j.server.ServerConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtmfp bench p2p}: time to first data on a direct stream, and file goodput against TCP copies. */
@Command(name = "p2p", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Two peers of a rendezvous server on loopback. Prints as JSON the time from play() to the "
                + "first data message of a direct stream (introduction, handshake and flow setup; two fresh "
                + "connections per run), and the goodput of 'rtmfp send' between the peers next to two TCP copies "
                + "of the same file on loopback, measured alternately in the same run: a plain one (p2pToTcp), and "
                + "one that writes back to the disk as it goes, as the receiver does (p2pToTcpWriteBack).",
                "Without --server a rendezvous server runs in this process on 127.0.0.1."})
final class BenchP2pCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URI", description = "Rendezvous server to use (default: one in this process).")
    String server;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "10",
            description = "First-data measurements, 1..1000 (default: ${DEFAULT-VALUE}).")
    int runs;

    @Mixin
    FileBenchOptions file = new FileBenchOptions();

    @Override
    public Integer call() throws Exception {
        file.validate(spec);
        if (runs < 1 || runs > 1000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be 1..1000, got " + runs);
        }
        String remote = server == null ? null : BenchCommand.serverUri(spec, server).text();
        Path work = file.workDir("rtmfp-bench-p2p");
        RendezvousServer local = server == null ? localServer() : null;
        try {
            String uri = remote != null ? remote
                    : "rtmfp://127.0.0.1:" + local.localAddresses().get(0).getPort() + "/bench";
            P2pLoad.Result result = P2pLoad.run(new P2pLoad.Params(uri, runs, file.fileBytes(), file.warmups, file.rounds, work));
            PrintWriter out = spec.commandLine().getOut();
            out.println(result.toJson());
            out.flush();
            return 0;
        } finally {
            if (local != null) {
                local.close();
            }
            Files.deleteIfExists(work);
        }
    }

    /** A server on 127.0.0.1, logging warnings only. */
    static RendezvousServer localServer() {
        BenchCommand.quietServerLog();
        PeerIdentity identity = PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_14, DhGroup.GROUP_2),
                new SecureRandom());
        return RendezvousServer.start(ServerConfig.of(EndpointConfig.builder(identity).build(),
                List.of(new InetSocketAddress("127.0.0.1", 0))));
    }
}
