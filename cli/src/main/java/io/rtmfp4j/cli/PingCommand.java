package io.rtmfp4j.cli;

import io.rtmfp4j.flash.net.RtmfpUri;
import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.HandshakeSettings;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.crypto.SessionSecurity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.runtime.SessionFailedException;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.io.IOException;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rtmfp ping}: opens one session, reports who answered and how fast, closes it. */
@Command(name = "ping", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Opens an RTMFP session to a server, prints its peer ID, the Diffie-Hellman group "
                + "chosen and the round-trip time, and closes it.",
                "With --echo, also sends messages on a flow and checks that an echo server (rtmfp server --echo, "
                        + "rtmfp-cpp echoserver) returns each one unchanged and in order on its return flow.",
                "Exits 0 on success, 1 when the server does not answer, refuses or echoes wrongly, 2 on misuse."})
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

    @Option(names = "--echo", paramLabel = "N",
            description = "Send N messages on a flow and check that the server echoes each one back, in order.")
    Integer echo;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "1024",
            description = "Size of each --echo message, random content, 0.." + MAX_ECHO_SIZE + " (default: ${DEFAULT-VALUE}).")
    int size;

    /** rtmfp-cpp's echoserver buffers up to 16 MiB of a flow, our endpoint reassembles messages up to 16 MiB. */
    static final int MAX_ECHO_SIZE = 16 << 20;

    @Override
    public Integer call() throws Exception {
        if (echo != null && (echo < 0 || echo > 100_000_000)) {
            throw new ParameterException(spec.commandLine(), "--echo must be 0..100000000 messages, got " + echo);
        }
        if (size < 0 || size > MAX_ECHO_SIZE) {
            throw new ParameterException(spec.commandLine(), "--size must be 0.." + MAX_ECHO_SIZE + " bytes, got " + size);
        }
        RtmfpUri target;
        try {
            target = RtmfpUri.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<InetSocketAddress> candidates;
        try {
            candidates = target.resolve();
        } catch (UnknownHostException e) {
            throw new CommandFailure("unknown host '" + target.host() + "'");
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
            EchoClient echoClient = echo == null ? null : new EchoClient(echo, size, new SecureRandom().nextLong());
            client.setListener(new EndpointListener() {
                @Override
                public void onPingReply(Session session, long rttMicros) {
                    reply.complete(rttMicros);
                }

                @Override
                public void onFlow(ReceiveFlow flow) {
                    if (echoClient != null) {
                        echoClient.offer(flow);
                    }
                }

                @Override
                public void onSessionClosed(Session session, CloseReason reason) {
                    if (echoClient != null) {
                        echoClient.sessionEnded(reason.name().toLowerCase(Locale.ROOT));
                    }
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
                String why = e.getCause() instanceof SessionFailedException f ? f.getMessage() : ErrorText.of(e);
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
            EchoClient.Result echoed = null;
            if (echoClient != null) {
                client.execute(e -> echoClient.start(session));
                try {
                    echoed = awaitEcho(echoClient);
                } catch (EchoClient.EchoException e) {
                    return fail(target, "echo: " + e.getMessage());
                }
            }
            client.call(e -> {
                session.close(client.now());
                return null;
            }).get(2, TimeUnit.SECONDS);
            report(out, target, session, openMicros, rtt, echoed);
        }
        return 0;
    }

    /** Waits for the exchange as long as it keeps moving: it fails after --timeout without progress. */
    private EchoClient.Result awaitEcho(EchoClient c) throws InterruptedException, EchoClient.EchoException {
        long seen = -1;
        while (true) {
            try {
                return c.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof EchoClient.EchoException failure) {
                    throw failure;
                }
                throw new EchoClient.EchoException(ErrorText.of(e));
            } catch (TimeoutException e) {
                long now = c.progress();
                if (now == seen) {
                    throw new EchoClient.EchoException("no progress for " + timeout.toMillis() + " ms (" + now
                            + " messages written or echoed so far)");
                }
                seen = now;
            }
        }
    }

    private PeerIdentity identity() {
        SecureRandom random = new SecureRandom();
        if (identityFile != null) {
            try {
                return PeerIdentity.load(Files.readString(identityFile));
            } catch (IOException | RuntimeException e) {
                throw new ParameterException(spec.commandLine(), "cannot read the identity in " + identityFile + ": "
                        + ErrorText.of(e));
            }
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

    private void report(PrintWriter out, RtmfpUri target, Session s, long openMicros, long rttMicros,
            EchoClient.Result echoed) {
        SessionSecurity sec = s.security().orElseThrow();
        String peer = s.farPeerId().orElse("");
        if (json) {
            String echoJson = "";
            if (echoed != null) {
                echoJson = String.format(Locale.ROOT, ",\"echo\":{\"messages\":%d,\"size\":%d,\"bytes\":%d,"
                                + "\"elapsedMs\":%.3f,\"megabytesPerSecond\":%.3f,\"echoMsMin\":%.3f,\"echoMsAvg\":%.3f,"
                                + "\"echoMsMax\":%.3f,\"srttMs\":%.3f,\"returnMetadata\":\"%s\"}",
                        echoed.messages(), echoed.size(), echoed.bytes(), echoed.elapsedMs(), echoed.megabytesPerSecond(),
                        echoed.minEchoNanos() / 1e6, echoed.avgEchoMs(), echoed.maxEchoNanos() / 1e6,
                        echoed.srttMicros() / 1000.0, Json.escape(echoed.returnMetadata()));
            }
            out.printf(Locale.ROOT, "{\"uri\":\"%s\",\"address\":\"%s\",\"peerId\":\"%s\",\"dhGroup\":%d,"
                            + "\"hmacIn\":%d,\"hmacOut\":%d,\"sseqIn\":%b,\"sseqOut\":%b,\"openMs\":%.3f,\"rttMs\":%.3f%s}%n",
                    Json.escape(target.text()), s.destination(), peer, sec.group().id(), sec.rxHmacLength(),
                    sec.txHmacLength(), sec.rxSseq(), sec.txSseq(), openMicros / 1000.0, rttMicros / 1000.0, echoJson);
        } else {
            out.printf(Locale.ROOT, "session open with %s (%s)%n", target.text(), s.destination());
            out.printf(Locale.ROOT, "  peer ID   %s%n", peer);
            out.printf(Locale.ROOT, "  DH group  %d (%d-bit MODP)%n", sec.group().id(), sec.group().primeBytes() * 8);
            out.printf(Locale.ROOT, "  HMAC      in %s, out %s%n", bytes(sec.rxHmacLength()), bytes(sec.txHmacLength()));
            out.printf(Locale.ROOT, "  sequence  in %s, out %s%n", sec.rxSseq() ? "on" : "off", sec.txSseq() ? "on" : "off");
            out.printf(Locale.ROOT, "  open      %.3f ms%n", openMicros / 1000.0);
            out.printf(Locale.ROOT, "  RTT       %.3f ms%n", rttMicros / 1000.0);
            if (echoed != null) {
                out.printf(Locale.ROOT, "  echo      %d messages of %d bytes (%d bytes each way) returned intact and in order%n",
                        echoed.messages(), echoed.size(), echoed.bytes());
                out.printf(Locale.ROOT, "            in %.3f ms, %.3f MB/s each way; return flow \"%s\"%n",
                        echoed.elapsedMs(), echoed.megabytesPerSecond(), echoed.returnMetadata());
                out.printf(Locale.ROOT, "            echo time min/avg/max %.3f/%.3f/%.3f ms, smoothed RTT %.3f ms%n",
                        echoed.minEchoNanos() / 1e6, echoed.avgEchoMs(), echoed.maxEchoNanos() / 1e6,
                        echoed.srttMicros() / 1000.0);
            }
        }
        out.flush();
    }

    private static String bytes(int n) {
        return n == 0 ? "off" : n + " bytes";
    }
}
