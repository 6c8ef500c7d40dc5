package io.rtmfp4j.cli;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.HandshakeSettings;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rtmfp server}: the RTMFP responder that grows into the rendezvous server. */
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs the rtmfp4j server: accepts RTMFP sessions with the Flash cryptography profile "
                + "(RFC 7425) and logs each one.",
                "With --echo it returns every message of every flow on a return flow, as rtmfp-cpp's echoserver does; "
                        + "otherwise it rejects flows.", "Stop it with Ctrl-C."})
final class ServerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.server");

    @Option(names = "--bind", split = ",", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Local address(es) to listen on, comma-separated; :: for IPv6 (default: ${DEFAULT-VALUE}).")
    List<String> bind;

    @Option(names = "--port", paramLabel = "P", defaultValue = "1935",
            description = "UDP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dh-groups", split = ",", paramLabel = "G", defaultValue = "16,14,2",
            converter = DhGroupConverter.class,
            description = "Diffie-Hellman groups offered, strongest first; the client picks (default: ${DEFAULT-VALUE}).")
    List<DhGroup> groups;

    @Option(names = "--require-hmac",
            description = "Require clients to authenticate every packet with an HMAC (RFC 7425 §4.6.3).")
    boolean requireHmac;

    @Option(names = "--require-sseq",
            description = "Require clients to number their packets, rejecting replays (RFC 7425 §4.6.4).")
    boolean requireSseq;

    @Option(names = "--keepalive", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "Keepalive ping period of idle sessions (default: ${DEFAULT-VALUE}).")
    Duration keepalive;

    @Option(names = "--retransmit-limit", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "Drop a session whose peer stops answering for this long (default: ${DEFAULT-VALUE}).")
    Duration retransmitLimit;

    @Option(names = "--echo",
            description = "Accept every flow and send each message back on a return flow associated with it "
                    + "(metadata: the flow's own plus \" return\"), closed when the flow completes.")
    boolean echo;

    @Option(names = "--crypto-threads", paramLabel = "N",
            description = "Threads for Diffie-Hellman work (default: one per processor).")
    Integer cryptoThreads;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        }
        List<InetSocketAddress> binds = new ArrayList<>();
        for (String b : bind) {
            binds.add(new InetSocketAddress(bindAddress(b), port));
        }
        // Nothing sent unasked, as Flash-era servers did; what a client requires, it gets (RFC 7425 §4.6.3).
        HandshakeSettings handshake = new HandshakeSettings(false, requireHmac, HandshakeSettings.FLASH_HMAC_LENGTH,
                false, requireSseq);
        PeerIdentity identity = PeerIdentity.newServer(Optional.empty(), groups, new SecureRandom());
        EndpointConfig config = EndpointConfig.builder(identity)
                .handshake(handshake)
                .keepalive(keepalive)
                .retransmitLimit(retransmitLimit)
                .build();
        int threads = cryptoThreads == null ? Runtime.getRuntime().availableProcessors() : cryptoThreads;
        CountDownLatch stopped = new CountDownLatch(1);
        try (UdpEndpoint server = UdpEndpoint.bind(config, binds, threads)) {
            server.setListener(new SessionLog(echo));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "rtmfp-shutdown"));
            log.info("rtmfp4j server listening on {} ({}), server peer ID {}, DH groups {}{}",
                    server.localAddresses(), server.transport(), identity.certificate().peerId(), groups,
                    echo ? ", echoing flows" : "");
            stopped.await();
        }
        return 0;
    }

    private static InetAddress bindAddress(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot bind '" + text + "': unknown host");
        }
    }

    /** One INFO line per session open and close; with echo, flows are echoed (and logged) too. */
    private static final class SessionLog implements EndpointListener {
        private final boolean echo;

        SessionLog(boolean echo) {
            this.echo = echo;
        }

        @Override
        public void onFlow(ReceiveFlow flow) {
            if (echo) {
                EchoFlow.accept(flow);
            }
        }

        @Override
        public void onSessionOpen(Session s) {
            var sec = s.security().orElseThrow();
            log.info("session open {} peer {} group {} hmac {}/{} sseq {}/{}", s.destination(),
                    s.farPeerId().orElse("?"), sec.group().id(), sec.rxHmacLength(), sec.txHmacLength(),
                    sec.rxSseq() ? "on" : "off", sec.txSseq() ? "on" : "off");
        }

        @Override
        public void onSessionClosed(Session s, CloseReason reason) {
            log.info("session closed {} peer {} reason {}", s.destination(), s.farPeerId().orElse("?"),
                    reason.name().toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public void onInternalError(RuntimeException error) {
            log.warn("contained an internal error while handling a datagram", error);
        }
    }
}
