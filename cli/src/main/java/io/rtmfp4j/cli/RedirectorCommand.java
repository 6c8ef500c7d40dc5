package io.rtmfp4j.cli;

import io.rtmfp4j.server.Redirector;
import io.rtmfp4j.server.RedirectorServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rtmfp redirector}: a load-balancing front for rendezvous servers. */
@Command(name = "redirector", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Answers clients connecting to rtmfp://this-host/app with a Redirect to the least-loaded "
                + "rendezvous servers (RFC 7016 §3.5.1.7); a client takes the first that answers.",
                "Servers register over rtmfp-cpp's redirector protocol (rtmfp server --redirector NAME@HOST:PORT, "
                        + "rtmfp-cpp's echoserver -L NAME@HOST:PORT), or are the nodes of the cluster it joins "
                        + "(--cluster-members: it holds none of the cluster's data). An IHello for a peer ID goes to "
                        + "the server or node where that peer is connected.", "Stop it with Ctrl-C."})
final class RedirectorCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.redirector");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ListenOptions listen;

    @Option(names = "--hostname", paramLabel = "NAME", defaultValue = "rtmfp-redirector",
            description = "The hostname in its certificate, which servers name when they register "
                    + "(NAME@HOST:PORT) (default: ${DEFAULT-VALUE}).")
    String hostname;

    @Option(names = "--targets", paramLabel = "N", defaultValue = "2",
            description = "Servers listed in one Redirect, least loaded first (default: ${DEFAULT-VALUE}).")
    int targets;

    @Option(names = "--auth", paramLabel = "KEY:PASSWORD",
            description = "A key ID and password servers must prove to register (repeatable); without any, any server may.")
    List<String> auth = new ArrayList<>();

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Log lines on stderr as text or json (default: ${DEFAULT-VALUE}).")
    LogFormat logFormat;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        if (logFormat != LogFormat.text) {
            logFormat.install();
        }
        if (targets < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--targets must be at least 1, got " + targets);
        }
        Map<String, byte[]> passwords = new LinkedHashMap<>();
        for (String a : auth) {
            int colon = a.indexOf(':');
            if (colon <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--auth must be KEY:PASSWORD, got '" + a + "'");
            }
            passwords.put(a.substring(0, colon), a.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        }
        List<InetSocketAddress> binds = listen.binds();
        CountDownLatch stopped = new CountDownLatch(1);
        try (RedirectorServer server = RedirectorServer.start(hostname, binds, new Redirector.Settings(targets, passwords),
                cluster.settings(binds.get(0).getAddress(), true))) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "rtmfp-shutdown"));
            log.info("rtmfp4j redirector listening on {}, hostname {}, peer ID {}, {} target(s) per redirect, {}",
                    server.localAddresses(), hostname, server.peerId(), targets,
                    cluster.enabled() ? "redirecting to the nodes of cluster " + cluster.name + " and registered servers"
                            : "redirecting to registered servers");
            stopped.await();
        }
        return 0;
    }
}
