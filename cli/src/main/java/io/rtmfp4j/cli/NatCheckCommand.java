package io.rtmfp4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.PeerAddresses;
import io.rtmfp4j.flash.net.RelayPolicy;
import io.rtmfp4j.flash.net.RtmfpUri;
import io.rtmfp4j.flash.net.Transport;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rtmfp nat-check}: what the network lets through (docs/nat.md, "nat-check"). It connects
 * to a server that runs the connectivity check ({@code rtmfp server --conncheck}, or rtmfp-cpp's
 * conncheck), reads {@code NetConnection.ConnectivityCheck.Results}, tries hairpinning itself
 * (a second socket sends to this one's public address), falls back to the TCP tunnel when UDP
 * gets nowhere, and says what that means for direct sessions with peers.
 */
@Command(name = "nat-check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Check what this network lets through: UDP to the server, the NAT's mapping and filtering, "
                + "hairpinning, and whether direct P2P is likely or the server's relay will be needed.",
                "The server must run the connectivity check: rtmfp server --conncheck PORT (with "
                        + "--conncheck-address and --conncheck-intro for the full check), or rtmfp-cpp's conncheck.",
                "Exit 0 when the check ran, 1 when the server could not be reached at all, 2 on misuse."})
final class NatCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "The server: rtmfp://host[:port]/app.")
    String server;

    @Option(names = "--tunnel", paramLabel = "URL",
            description = "The server's TCP tunnel, tried when UDP gets no answer (default: ws:// its address and port).")
    URI tunnel;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "How long the server may take to answer, and then to report (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        InetSocketAddress first;
        try {
            first = RtmfpUri.parse(server).resolve().get(0);
            if (tunnel != null) {
                NetConnection.builder().tunnel(tunnel);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (UnknownHostException e) {
            throw new CommandFailure("unknown host in " + server);
        }
        InetSocketAddress bind = new InetSocketAddress(first.getAddress() instanceof Inet6Address ? "::" : "0.0.0.0", 0);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("server", server);
        CompletableFuture<NetStatus> results = new CompletableFuture<>();
        try (NetConnection udp = connection(bind, Transport.UDP, results)) {
            boolean udpReachable = connects(udp);
            report.put("udp", udpReachable);
            if (udpReachable) {
                checked(udp, results, bind, report);
            } else {
                try (NetConnection tcp = connection(bind, Transport.TCP, new CompletableFuture<>())) {
                    boolean tcpReachable = connects(tcp);
                    report.put("tcp", tcpReachable);
                    report.put("p2p", tcpReachable ? "relay only" : "none");
                    report.put("advice", tcpReachable
                            ? "UDP to the server is blocked but its TCP tunnel works: every peer will be reached "
                                    + "through the server's relay (slower, and it costs the server bandwidth)."
                            : "the server answers neither over UDP nor over TCP: is it running, and is the URL right?");
                }
            }
        }
        print(report);
        return Boolean.TRUE.equals(report.get("udp")) || Boolean.TRUE.equals(report.get("tcp")) ? 0 : 1;
    }

    private NetConnection connection(InetSocketAddress bind, Transport transport, CompletableFuture<NetStatus> results) {
        NetConnection.Builder b = NetConnection.builder().bind(bind).transport(transport).relay(RelayPolicy.NEVER)
                .openTimeout(timeout);
        if (tunnel != null) {
            b.tunnel(tunnel);
        }
        NetConnection nc = b.build();
        nc.addStatusListener(s -> {
            if (Status.CONNECTIVITY_CHECK_RESULTS.equals(s.code())) {
                results.complete(s);
            }
        });
        return nc;
    }

    private boolean connects(NetConnection nc) throws InterruptedException {
        try {
            nc.connect(server).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** UDP works: the server's results, hairpinning, and the verdict. */
    private void checked(NetConnection nc, CompletableFuture<NetStatus> results, InetSocketAddress bind,
            Map<String, Object> report) throws InterruptedException {
        Map<String, Object> info;
        try {
            info = results.get(timeout.toMillis(), TimeUnit.MILLISECONDS).info();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            report.put("conncheck", false);
            report.put("advice", "the server does not check connectivity: run it with --conncheck PORT "
                    + "(and --conncheck-address, --conncheck-intro), or use rtmfp-cpp's conncheck");
            return;
        }
        report.put("conncheck", true);
        Object publicText = info.get("publicAddress");
        report.put("publicAddress", publicText);
        NatVerdict verdict = NatVerdict.of(info);
        report.put("nat", verdict.nat());
        report.put("mapping", verdict.mapping());
        report.put("filtering", verdict.filtering());
        Optional<InetSocketAddress> publicAddress = publicText instanceof String s ? PeerAddresses.parse(s)
                : Optional.empty();
        report.put("hairpinning", verdict.nat() && publicAddress.isPresent()
                ? hairpins(nc, publicAddress.get(), bind) : null);
        report.put("p2p", verdict.p2p());
        report.put("advice", verdict.advice());
        Map<String, Object> raw = new LinkedHashMap<>(info);
        raw.remove("level");
        raw.remove("code");
        raw.remove("description");
        report.put("results", raw);
    }

    /**
     * Whether the NAT hairpins: a second socket here opens a session to this connection's public
     * address, which works only if the NAT turns packets from inside back in. Two peers behind one
     * such NAT can then meet at their public addresses.
     */
    private boolean hairpins(NetConnection nc, InetSocketAddress publicAddress, InetSocketAddress bind) {
        EndpointConfig config = EndpointConfig.builder(PeerIdentity.newFlashClient(new SecureRandom()))
                .acceptSessions(false).openTimeout(Duration.ofSeconds(3)).build();
        try (UdpEndpoint probe = UdpEndpoint.bind(config, List.of(bind), 0)) {
            probe.connect(EndpointDiscriminator.forPeer(Hex.decode(nc.nearId())), List.of(publicAddress))
                    .get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void print(Map<String, Object> report) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            line(out, "server", report.get("server"));
            line(out, "UDP", Boolean.TRUE.equals(report.get("udp")) ? "reaches the server"
                    : "no answer" + (report.containsKey("tcp")
                            ? "; TCP tunnel " + (Boolean.TRUE.equals(report.get("tcp")) ? "works" : "no answer too")
                            : ""));
            if (report.containsKey("publicAddress")) {
                line(out, "public address", report.get("publicAddress")
                        + (Boolean.TRUE.equals(report.get("nat")) ? " (behind a NAT)" : " (no NAT)"));
                line(out, "mapping", report.get("mapping"));
                line(out, "filtering", report.get("filtering"));
                Object hairpin = report.get("hairpinning");
                line(out, "hairpinning", hairpin == null ? "n/a" : Boolean.TRUE.equals(hairpin) ? "yes" : "no");
            }
            if (report.containsKey("p2p")) {
                line(out, "direct P2P", report.get("p2p"));
            }
            line(out, "advice", report.get("advice"));
        }
        out.flush();
    }

    private static void line(PrintWriter out, String label, Object value) {
        out.println(String.format(java.util.Locale.ROOT, "%-15s %s", label, value));
    }
}
