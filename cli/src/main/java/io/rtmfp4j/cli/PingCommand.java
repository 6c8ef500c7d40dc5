package io.rtmfp4j.cli;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.HandshakeSettings;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.crypto.SessionSecurity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.runtime.SessionFailedException;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rtmfp ping}: opens one session, reports who answered and how fast, closes it. */
@Command(name = "ping", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Opens an RTMFP session to a server, prints its peer ID, the Diffie-Hellman group "
                + "chosen and the round-trip time, and closes it.",
                "Exits 0 on success, 1 when the server does not answer or refuses."})
final class PingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URI", description = "Server address: rtmfp://host[:port][/app] (port 1935 by default).")
    String uri;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--dh-groups", split = ",", paramLabel = "G", defaultValue = "16,14,5,2",
            converter = DhGroupConverter.class,
            description = "Diffie-Hellman groups we support, preferred first (default: ${DEFAULT-VALUE}).")
    List<DhGroup> groups;

    @Option(names = "--flash", description = "Use a Flash Player-like identity (static group-2 key), as Flash clients do.")
    boolean flash;

    @Option(names = "--identity", paramLabel = "FILE", description = "Use the identity in FILE (from 'rtmfp keygen').")
    Path identityFile;

    @Option(names = "--require-hmac", description = "Require the server to authenticate its packets with an HMAC.")
    boolean requireHmac;

    @Option(names = "--require-sseq", description = "Require the server to number its packets.")
    boolean requireSseq;

    @Option(names = "--hostname", paramLabel = "NAME",
            description = "Select the server by the host name in its certificate instead of by URI (RFC 7425 §4.4).")
    String hostname;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        RtmfpUri target = RtmfpUri.parse(uri);
        List<InetSocketAddress> candidates;
        try {
            candidates = target.resolve();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host '" + target.host() + "'");
        }
        PeerIdentity identity = identity();
        EndpointConfig config = EndpointConfig.builder(identity)
                .acceptSessions(false)
                .handshake(new HandshakeSettings(requireHmac, requireHmac, HandshakeSettings.DEFAULT_HMAC_LENGTH,
                        requireSseq, requireSseq))
                .openTimeout(timeout)
                .build();
        InetSocketAddress local = new InetSocketAddress(
                candidates.get(0).getAddress() instanceof Inet6Address ? "::" : "0.0.0.0", 0);
        PrintWriter out = spec.commandLine().getOut();
        try (UdpEndpoint client = UdpEndpoint.bind(config, List.of(local), 1)) {
            CompletableFuture<Long> reply = new CompletableFuture<>();
            client.setListener(new EndpointListener() {
                @Override
                public void onPingReply(Session session, long rttMicros) {
                    reply.complete(rttMicros);
                }
            });
            long started = System.nanoTime();
            Session session;
            try {
                // By host name alone: a responder that does not accept ancillary data ignores URIs.
                EndpointDiscriminator epd = hostname == null ? EndpointDiscriminator.forServerUri(target.text())
                        : new EndpointDiscriminator(Optional.of(hostname), Optional.empty(), Optional.empty());
                session = client.connect(epd, candidates)
                        .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                String why = e.getCause() instanceof SessionFailedException f ? f.getMessage() : String.valueOf(e.getCause());
                return fail(target, why);
            } catch (TimeoutException e) {
                return fail(target, "no answer within " + timeout.toMillis() + " ms");
            }
            long openMicros = (System.nanoTime() - started) / 1000;
            client.execute(e -> session.ping(client.now()));
            long remaining = Math.max(1, timeout.toMillis() - openMicros / 1000);
            long rtt;
            try {
                rtt = reply.get(remaining, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return fail(target, "session opened but the ping was not answered within " + timeout.toMillis() + " ms");
            }
            client.call(e -> {
                session.close(client.now());
                return null;
            }).get(2, TimeUnit.SECONDS);
            report(out, target, session, openMicros, rtt);
        }
        return 0;
    }

    private PeerIdentity identity() throws Exception {
        SecureRandom random = new SecureRandom();
        if (identityFile != null) {
            return PeerIdentity.load(Files.readString(identityFile));
        }
        if (flash) {
            return PeerIdentity.newFlashClient(random);
        }
        return PeerIdentity.newStatic(Optional.empty(), groups, random);
    }

    private int fail(RtmfpUri target, String why) {
        spec.commandLine().getErr().println("rtmfp ping: " + target.text() + ": " + why);
        return 1;
    }

    private void report(PrintWriter out, RtmfpUri target, Session s, long openMicros, long rttMicros) {
        SessionSecurity sec = s.security().orElseThrow();
        String peer = s.farPeerId().orElse("");
        if (json) {
            out.printf(Locale.ROOT, "{\"uri\":\"%s\",\"address\":\"%s\",\"peerId\":\"%s\",\"dhGroup\":%d,"
                            + "\"hmacIn\":%d,\"hmacOut\":%d,\"sseqIn\":%b,\"sseqOut\":%b,\"openMs\":%.3f,\"rttMs\":%.3f}%n",
                    Json.escape(target.text()), s.destination(), peer, sec.group().id(), sec.rxHmacLength(),
                    sec.txHmacLength(), sec.rxSseq(), sec.txSseq(), openMicros / 1000.0, rttMicros / 1000.0);
        } else {
            out.printf(Locale.ROOT, "session open with %s (%s)%n", target.text(), s.destination());
            out.printf(Locale.ROOT, "  peer ID   %s%n", peer);
            out.printf(Locale.ROOT, "  DH group  %d (%d-bit MODP)%n", sec.group().id(), sec.group().primeBytes() * 8);
            out.printf(Locale.ROOT, "  HMAC      in %s, out %s%n", bytes(sec.rxHmacLength()), bytes(sec.txHmacLength()));
            out.printf(Locale.ROOT, "  sequence  in %s, out %s%n", sec.rxSseq() ? "on" : "off", sec.txSseq() ? "on" : "off");
            out.printf(Locale.ROOT, "  open      %.3f ms%n", openMicros / 1000.0);
            out.printf(Locale.ROOT, "  RTT       %.3f ms%n", rttMicros / 1000.0);
        }
        out.flush();
    }

    private static String bytes(int n) {
        return n == 0 ? "off" : n + " bytes";
    }
}
