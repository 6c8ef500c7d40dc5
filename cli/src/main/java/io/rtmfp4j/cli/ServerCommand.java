package io.rtmfp4j.cli;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.DhKeyReuse;
import io.rtmfp4j.core.crypto.HandshakeSettings;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.runtime.UdpEndpoint;
import io.rtmfp4j.flash.net.PeerAddresses;
import io.rtmfp4j.server.ReachConfig;
import io.rtmfp4j.server.RendezvousServer;
import io.rtmfp4j.server.TunnelBindException;
import io.rtmfp4j.server.RendezvousSettings;
import io.rtmfp4j.server.ServerConfig;
import io.rtmfp4j.server.auth.Authenticator;
import io.rtmfp4j.server.auth.DeveloperKeys;
import io.rtmfp4j.server.auth.HmacTokens;
import io.rtmfp4j.server.cluster.ClusterSettings;
import io.rtmfp4j.server.redirect.RedirectorRegistration;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rtmfp server}: the rendezvous server (or, with --echo, an echo responder for interop checks). */
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Runs the rtmfp4j rendezvous server, a drop-in replacement for Adobe's Cirrus/Stratus service: "
                + "clients connect (rtmfp://host/app), get an unforgeable peer ID, are introduced to each other through "
                + "their NATs, and bootstrap NetGroups. It relays no media; it forwards the encrypted datagrams of peers that "
                + "cannot reach each other directly (docs/nat.md).",
                "Every option may also come from a properties file given with --config (keys are the option names "
                        + "without the leading dashes, e.g. max-sessions=50000); command-line options win.",
                "With --echo it instead returns every message of every flow on a return flow, as rtmfp-cpp's "
                        + "echoserver does.", "Stop it with Ctrl-C."})
final class ServerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.server");

    enum AuthMode { open, keys, token }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with defaults for any option below (read before the command line).")
    Path config;

    @Mixin
    ListenOptions listen;

    @Option(names = "--auth", paramLabel = "MODE", defaultValue = "open",
            description = "Who may connect: open (anyone), keys (a developer key from --keys-file as the first path "
                    + "segment of the rtmfp URL), token (HMAC-SHA256 tokens as rtmfp-cpp's tcserver checks them, "
                    + "see `rtmfp token`) (default: ${DEFAULT-VALUE}).")
    AuthMode auth;

    @Option(names = "--keys-file", paramLabel = "FILE",
            description = "Developer keys, one per line (# comments); re-read when it changes. Required with --auth keys.")
    Path keysFile;

    @Option(names = "--secret", paramLabel = "TEXT",
            description = "Token secret; repeat to accept several (rotation). Required with --auth token.")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--admin", paramLabel = "ADDR:PORT", defaultValue = "127.0.0.1:1936",
            description = "Admin HTTP listener with /status (JSON) and /metrics (Prometheus); 'off' disables it. "
                    + "Keep it on loopback: it has no authentication (default: ${DEFAULT-VALUE}).")
    String admin;

    @Option(names = "--max-sessions", paramLabel = "N", defaultValue = "100000",
            description = "Live sessions (opening and open) beyond which new ones are refused (default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Option(names = "--max-closing-sessions", paramLabel = "N",
            description = "Ended sessions kept while they finish the close exchange (resending Close up to 90 s to a "
                    + "silent client, answering a lost Close Ack for 19 s); beyond it the oldest is closed at once. "
                    + "They do not count against --max-sessions (default: the --max-sessions value).")
    Integer maxClosingSessions;

    @Option(names = "--handshake-rate", paramLabel = "N", defaultValue = "200",
            description = "Startup packets (IHello, IIKeying) answered per second from one IP address (default: ${DEFAULT-VALUE}).")
    int handshakeRate;

    @Option(names = "--handshake-burst", paramLabel = "N", defaultValue = "400",
            description = "How many of them one IP address may send at once (default: ${DEFAULT-VALUE}).")
    int handshakeBurst;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "Close a session that has not connected by then (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--idle-limit", paramLabel = "DURATION", defaultValue = "300s", converter = Durations.class,
            description = "Close a session without any flow for this long (default: ${DEFAULT-VALUE}).")
    Duration idleLimit;

    @Option(names = "--keepalive", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "The server's own keepalive ping period towards quiet clients (default: ${DEFAULT-VALUE}).")
    Duration keepalive;

    @Option(names = "--retransmit-limit", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "Drop a session whose peer stops answering for this long (default: ${DEFAULT-VALUE}).")
    Duration retransmitLimit;

    @Option(names = "--client-keepalive", paramLabel = "DURATION", defaultValue = "15s", converter = Durations.class,
            description = "Keepalive period clients are asked to use towards the server, at least 5s (default: ${DEFAULT-VALUE}).")
    Duration clientKeepalive;

    @Option(names = "--peer-keepalive", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "Keepalive period clients are asked to use on peer-to-peer sessions, at least 5s "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration peerKeepalive;

    @Option(names = "--max-streams", paramLabel = "N", defaultValue = "256",
            description = "Live createStream IDs per client (default: ${DEFAULT-VALUE}).")
    int maxStreams;

    @Option(names = "--max-groups", paramLabel = "N", defaultValue = "64",
            description = "Groups one client may join at once (default: ${DEFAULT-VALUE}).")
    int maxGroups;

    @Option(names = "--max-peer-addresses", paramLabel = "N", defaultValue = "16",
            description = "setPeerInfo addresses kept per client (default: ${DEFAULT-VALUE}).")
    int maxPeerAddresses;

    @Option(names = "--max-message-size", paramLabel = "BYTES", defaultValue = "65536",
            description = "Largest message a client may send; commands are small, so this bounds what one client "
                    + "can make the server hold (default: ${DEFAULT-VALUE}).")
    long maxMessageSize;

    @Option(names = "--dh-groups", split = ",", paramLabel = "G", defaultValue = "16,14,2",
            converter = DhGroupConverter.class,
            description = "Diffie-Hellman groups offered, strongest first; the client picks (default: ${DEFAULT-VALUE}).")
    List<DhGroup> groups;

    @Option(names = "--identity", paramLabel = "FILE",
            description = "The server's identity, from 'rtmfp keygen --server --out FILE': its peer ID stays the same "
                    + "across restarts, and its DH groups are the ones it offers (so not with --dh-groups). "
                    + "Without it the server makes a new one, with a new peer ID, at every start.")
    Path identityFile;

    @Option(names = "--require-hmac",
            description = "Require clients to authenticate every packet with an HMAC (RFC 7425 §4.6.3).")
    boolean requireHmac;

    @Option(names = "--require-sseq",
            description = "Require clients to number their packets, rejecting replays (RFC 7425 §4.6.4).")
    boolean requireSseq;

    /** More than this is no longer warming up: the compilers are done long before. */
    static final int MAX_WARMUP = 100_000;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
            description = "Before opening its sockets, take at least N connects on loopback from clients in this process, "
                    + "and up to 4 times as many while the JIT compilers are still busy with them, so that the first "
                    + "real clients meet compiled code: a fresh JVM spends two to three times the CPU on its first "
                    + "3,000 connects otherwise. 5000 is a good value for a production server; it costs about 15 "
                    + "seconds of startup on two cores (docs/warmup.md). Default: ${DEFAULT-VALUE}, start at once.")
    int warmup;

    @Option(names = "--receive-buffer", paramLabel = "BYTES", defaultValue = "" + UdpEndpoint.DEFAULT_RECEIVE_BUFFER,
            description = "Socket receive buffer to ask the kernel for: what queues while the server is busy instead "
                    + "of being dropped. Linux caps it at net.core.rmem_max; the log says when it granted less, and "
                    + "/status and /metrics count the datagrams it dropped (default: ${DEFAULT-VALUE}).")
    int receiveBuffer;

    @Option(names = "--crypto-threads", paramLabel = "N",
            description = "Threads for Diffie-Hellman work (default: one per processor).")
    Integer cryptoThreads;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Log lines on stderr as text or json (one object per line, key/value pairs as "
                    + "fields) (default: ${DEFAULT-VALUE}).")
    LogFormat logFormat;

    @Option(names = "--dh-key-reuse", paramLabel = "N", defaultValue = "1",
            description = "Sessions keyed with one ephemeral Diffie-Hellman key pair, at most " + DhKeyReuse.MAX_USES
                    + " (default: ${DEFAULT-VALUE}, a fresh key pair per session, as rtmfp-cpp). More saves a key "
                    + "generation per session, but a leaked private key then exposes every session it keyed: "
                    + "forward secrecy per window of N sessions or --dh-key-lifetime instead of per session. "
                    + "A replayed handshake is refused either way.")
    int dhKeyReuse;

    @Option(names = "--dh-key-lifetime", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "With --dh-key-reuse above 1: how long one key pair keys new sessions (default: ${DEFAULT-VALUE}).")
    Duration dhKeyLifetime;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--public-address", split = ",", paramLabel = "HOST:PORT",
            description = "Where clients reach this node, for the other nodes' load-balancing redirects (default: the "
                    + "--bind addresses and --port, when not wildcards).")
    List<String> publicAddresses = new ArrayList<>();

    @Option(names = "--redirector", paramLabel = "NAME@HOST:PORT[,HOST:PORT]",
            description = "Register with a redirector (load balancer) over rtmfp-cpp's protocol, as its echoserver -L "
                    + "does: NAME is the hostname in the redirector's certificate (rtmfp-cpp's redirector -n, "
                    + "rtmfp redirector --hostname). It then redirects clients here, by load. Repeatable.")
    List<String> redirectors = new ArrayList<>();

    @Option(names = "--redirector-auth", paramLabel = "KEY:PASSWORD",
            description = "The key ID and password the redirectors ask for (rtmfp-cpp's -l user:password).")
    String redirectorAuth;

    @CommandLine.Mixin
    ServerReachOptions reach = new ServerReachOptions();

    @Option(names = "--echo",
            description = "Instead of the rendezvous service, accept every flow and send each message back on a return "
                    + "flow associated with it (metadata: the flow's own plus \" return\"), closed when the flow completes.")
    boolean echo;

    @Override
    public Integer call() throws Exception {
        if (logFormat != LogFormat.text) {
            logFormat.install();
        }
        List<InetSocketAddress> binds = listen.binds();
        // Nothing sent unasked, as Flash-era servers did; what a client requires, it gets (RFC 7425 §4.6.3).
        HandshakeSettings handshake = new HandshakeSettings(false, requireHmac, HandshakeSettings.FLASH_HMAC_LENGTH,
                false, requireSseq);
        PeerIdentity identity = identity();
        if (maxClosingSessions != null && maxClosingSessions < 0) {
            throw new IllegalArgumentException("--max-closing-sessions must not be negative, got " + maxClosingSessions);
        }
        EndpointConfig.Builder builder = EndpointConfig.builder(identity)
                .handshake(handshake)
                .keepalive(keepalive)
                .retransmitLimit(retransmitLimit)
                .idleLimit(idleLimit)
                .maxSessions(maxSessions)
                .handshakeRate(handshakeRate)
                .handshakeBurst(handshakeBurst)
                .dhKeyReuse(keyReuse())
                .maxMessageSize(echo ? 16L << 20 : maxMessageSize);
        if (maxClosingSessions != null) {
            builder.maxClosingSessions(maxClosingSessions);
        }
        EndpointConfig endpoint = builder.build();
        int threads = cryptoThreads == null ? Runtime.getRuntime().availableProcessors() : cryptoThreads;
        if (threads < 1) {
            throw usage("--crypto-threads must be at least 1");
        }
        if (receiveBuffer < 1) {
            throw usage("--receive-buffer must be at least 1 byte, got " + receiveBuffer);
        }
        if (warmup < 0 || warmup > MAX_WARMUP) {
            throw usage("--warmup must be 0.." + MAX_WARMUP + ", got " + warmup);
        }
        if (echo && warmup > 0) {
            throw usage("--warmup warms the rendezvous server up; it does not apply to --echo");
        }
        return echo ? runEcho(endpoint, binds, threads) : runRendezvous(endpoint, binds, threads);
    }

    /** The identity in --identity, or a fresh one offering --dh-groups. */
    private PeerIdentity identity() {
        if (identityFile == null) {
            return PeerIdentity.newServer(Optional.empty(), groups, new SecureRandom());
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--dh-groups")) {
            throw usage("--dh-groups and --identity exclude each other: the identity's certificate names its groups");
        }
        PeerIdentity identity;
        try {
            identity = PeerIdentity.load(Files.readString(identityFile));
        } catch (IOException e) {
            throw usage("cannot read --identity " + identityFile + ": " + ErrorText.of(e));
        } catch (IllegalArgumentException e) {
            throw usage("--identity " + identityFile + " is not an identity file: " + e.getMessage());
        }
        if (!identity.certificate().acceptsAncillaryData()) {
            // Clients that connect by URI select only a certificate that accepts ancillary data (RFC 7425 §4.4.2).
            throw usage("--identity " + identityFile + " is a peer's identity, which clients connecting by URI "
                    + "would not select; make a server's with 'rtmfp keygen --server --out FILE'");
        }
        groups = identity.preference();
        return identity;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }


    private DhKeyReuse keyReuse() {
        if (dhKeyReuse < 1 || dhKeyReuse > DhKeyReuse.MAX_USES) {
            throw usage("--dh-key-reuse must be 1.." + DhKeyReuse.MAX_USES + ", got " + dhKeyReuse);
        }
        if (dhKeyReuse == 1) {
            return DhKeyReuse.none();
        }
        return new DhKeyReuse(dhKeyReuse, dhKeyLifetime);
    }

    /** What the buffer holds is what survives a burst while the loop is busy: say when it is less than asked. */
    private void warnIfCapped(int granted) {
        if (granted < receiveBuffer) {
            log.warn("the kernel granted a receive buffer of {} bytes of the {} asked for (--receive-buffer); on Linux "
                    + "'sysctl -w net.core.rmem_max={}' allows more", granted, receiveBuffer, receiveBuffer);
        }
    }

    private String identitySource() {
        return identityFile == null ? "fresh, new at every start" : "from " + identityFile;
    }

    private static String describe(DhKeyReuse reuse) {
        return reuse.reuses()
                ? "one key pair per " + reuse.maxUses() + " sessions or " + reuse.maxAge().toMillis() / 1000.0 + " s"
                : "a fresh key pair per session";
    }

    private int runRendezvous(EndpointConfig endpoint, List<InetSocketAddress> binds, int threads)
            throws InterruptedException, CommandFailure {
        RendezvousSettings settings = new RendezvousSettings(clientKeepalive, peerKeepalive, connectTimeout, maxStreams,
                maxPeerAddresses, maxGroups);
        ClusterSettings clusterSettings = cluster.settings(binds.get(0).getAddress(), false);
        if (clusterSettings == null && !publicAddresses.isEmpty() && redirectors.isEmpty()) {
            throw usage("--public-address needs --cluster-members, --cluster-port or --redirector");
        }
        List<InetSocketAddress> advertised = SocketAddresses.parseAll(spec.commandLine(), publicAddresses, "--public-address");
        ServerConfig cfg = new ServerConfig(endpoint, binds, threads, settings, authenticator(), clusterSettings,
                advertised, redirectors(advertised), adminAddress(), receiveBuffer);
        ReachConfig reachConfig;
        try {
            reachConfig = reach.toConfig(binds, this::socketAddress);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (LogQueue logs = LogQueue.start()) {
            if (warmup > 0) {
                warmUp(cfg, logs);
            }
            try (RendezvousServer server = start(cfg, reachConfig)) {
                stopOnShutdown(server::close, logs, stopped);
                warnIfCapped(server.receiveBufferBytes());
                log.info("rtmfp4j server listening on {} ({}), server peer ID {} ({}), DH groups {} ({}), auth {}, admin {}, {}",
                        server.localAddresses(), server.transport(), server.peerId(), identitySource(), groups,
                        describe(endpoint.dhKeyReuse()), auth,
                        server.adminAddress() == null ? "off"
                                : "http://" + PeerAddresses.format(server.adminAddress()) + "/status",
                        ServerReachOptions.describe(reachConfig, server.tunnel()
                                .map(t -> "ws://" + PeerAddresses.format(t.address()) + "/rtmfp").orElse(null)));
                server.node().ifPresent(node -> log.info("cluster node {} ({} {}:{}), {} node(s), public addresses {}", node,
                        cfg.cluster().name(), cfg.cluster().address(), cfg.cluster().port(), server.clusterSize(),
                        server.publicAddresses()));
                stopped.await();
            }
        }
        return 0;
    }

    /** The redirectors to register with, from {@code NAME@HOST:PORT[,HOST:PORT]}. */
    private List<RedirectorRegistration.Target> redirectors(List<InetSocketAddress> advertise) {
        if (redirectorAuth != null && redirectors.isEmpty()) {
            throw usage("--redirector-auth needs --redirector");
        }
        byte[] keyId = null;
        byte[] password = null;
        if (redirectorAuth != null) {
            int colon = redirectorAuth.indexOf(':');
            if (colon <= 0) {
                throw usage("--redirector-auth must be KEY:PASSWORD");
            }
            keyId = redirectorAuth.substring(0, colon).getBytes(StandardCharsets.UTF_8);
            password = redirectorAuth.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        }
        List<RedirectorRegistration.Target> targets = new ArrayList<>();
        for (String r : redirectors) {
            int at = r.indexOf('@');
            if (at <= 0 || at == r.length() - 1) {
                throw usage("--redirector must be NAME@HOST:PORT[,HOST:PORT], got '" + r + "'");
            }
            targets.add(new RedirectorRegistration.Target(r.substring(0, at),
                    SocketAddresses.parseAll(spec.commandLine(), List.of(r.substring(at + 1).split(",")), "--redirector"), advertise,
                    keyId, password));
        }
        return targets;
    }

    private void warmUp(ServerConfig cfg, LogQueue logs) throws CommandFailure {
        long start = System.nanoTime();
        ServerWarmup.Outcome outcome;
        try {
            // Its lines per warm-up session would bury the start line.
            outcome = logs.discarding(() -> {
                try {
                    return ServerWarmup.run(cfg, warmup);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw new CommandFailure("cannot warm up on loopback UDP (--warmup 0 starts without): " + ErrorText.of(e));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (outcome.connected() < warmup) {
            log.warn("the warm-up connected only {} of its {} loopback clients in {} ms (a firewall on loopback, or "
                    + "a machine too busy?): the first real clients will meet code still compiling",
                    outcome.connected(), warmup, millis);
        } else if (outcome.compilersBusy()) {
            log.info("warmed up with {} connects on loopback in {} ms; the JIT compilers were still busy at {} times --warmup, "
                    + "so the first clients will meet some compiling (a larger --warmup takes more before listening)",
                    outcome.connected(), millis, ServerWarmup.MAX_FACTOR);
        } else {
            log.info("warmed up with {} connects on loopback in {} ms", outcome.connected(), millis);
        }
    }

    /**
     * The rendezvous server on its sockets; a port that is taken is named. When the TCP port the
     * tunnel takes by default is another program's, the server starts without the tunnel and says
     * so: nobody asked for that port.
     */
    private RendezvousServer start(ServerConfig cfg, ReachConfig reachConfig) throws CommandFailure {
        try {
            return RendezvousServer.start(cfg, reachConfig);
        } catch (TunnelBindException e) {
            if (!reach.tunnelByDefault()) {
                throw new CommandFailure("cannot listen on TCP " + PeerAddresses.format(reachConfig.tunnel())
                        + " for the tunnel: " + ErrorText.of(e.getCause()) + " (choose another with --tcp ADDR:PORT, "
                        + "or --tcp off)");
            }
            log.warn("no TCP tunnel: cannot listen on TCP {} ({}); choose another with --tcp ADDR:PORT",
                    PeerAddresses.format(reachConfig.tunnel()), ErrorText.of(e.getCause()));
            return start(cfg, reachConfig.withTunnel(null));
        } catch (UncheckedIOException e) {
            // Only the admin listener reports its failure so: the UDP sockets are bound before it.
            throw new CommandFailure("cannot open the admin listener on TCP " + PeerAddresses.format(cfg.admin()) + ": "
                    + ErrorText.of(e) + (ErrorText.addressInUse(e) ? " (choose another with --admin ADDR:PORT, or "
                    + "--admin off)" : ""));
        } catch (Exception e) {
            throw cannotListen(cfg.binds(), e);
        }
    }

    /** The echo responder's endpoint on its sockets; a port that is taken is named. */
    private static UdpEndpoint bind(EndpointConfig endpoint, List<InetSocketAddress> binds, int threads,
            int receiveBuffer) throws CommandFailure {
        try {
            return UdpEndpoint.bind(endpoint, binds, threads, receiveBuffer);
        } catch (Exception e) {
            throw cannotListen(binds, e);
        }
    }

    /**
     * Netty hands a failed bind on as the socket's own exception, which the compiler does not
     * see: anything a bind throws is reported as a failure to listen, with its reason.
     */
    private static CommandFailure cannotListen(List<InetSocketAddress> binds, Exception e) {
        String hint = binds.size() > 1 ? " (another program has the port, or two --bind addresses overlap: 0.0.0.0 "
                + "takes IPv6 too on a dual-stack system)" : " (another program has the port: choose another with --port)";
        return new CommandFailure("cannot listen on UDP " + String.join(", ", binds.stream().map(PeerAddresses::format)
                .toList()) + ": " + ErrorText.of(e) + (ErrorText.addressInUse(e) ? hint : ""));
    }

    private Authenticator authenticator() {
        return switch (auth) {
            case open -> {
                if (keysFile != null || !secrets.isEmpty()) {
                    throw usage("--keys-file and --secret need --auth keys or --auth token");
                }
                yield Authenticator.open();
            }
            case keys -> {
                if (keysFile == null) {
                    throw usage("--auth keys needs --keys-file FILE");
                }
                yield new DeveloperKeys(keysFile);
            }
            case token -> {
                if (secrets.isEmpty()) {
                    throw usage("--auth token needs at least one --secret");
                }
                yield new HmacTokens(secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
            }
        };
    }

    private InetSocketAddress adminAddress() {
        if (admin.equalsIgnoreCase("off")) {
            return null;
        }
        // Port 0 lets the system choose (tests read the address from the start line).
        return socketAddress(admin, "--admin");
    }

    /** {@code ADDR:PORT} ({@code [v6]:PORT} too) as option {@code option} gives it, port 0 allowed; misuse otherwise. */
    InetSocketAddress socketAddress(String text, String option) {
        return SocketAddresses.parse(spec.commandLine(), text, option, 0);
    }

    /**
     * When a signal ends the process: closes the server, writes the log lines still queued (the
     * JVM does not wait for the queue's thread), then lets the command return.
     */
    private static void stopOnShutdown(Runnable close, LogQueue logs, CountDownLatch stopped) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close.run();
            logs.close();
            stopped.countDown();
        }, "rtmfp-shutdown"));
    }

    private int runEcho(EndpointConfig endpoint, List<InetSocketAddress> binds, int threads)
            throws InterruptedException, CommandFailure {
        CountDownLatch stopped = new CountDownLatch(1);
        try (LogQueue logs = LogQueue.start(); UdpEndpoint server = bind(endpoint, binds, threads, receiveBuffer)) {
            server.setListener(new EchoLog());
            stopOnShutdown(server::close, logs, stopped);
            warnIfCapped(server.receiveBufferBytes());
            log.info("rtmfp4j server listening on {} ({}), server peer ID {} ({}), DH groups {} ({}), echoing flows",
                    server.localAddresses(), server.transport(), endpoint.identity().certificate().peerId(),
                    identitySource(), groups,
                    describe(endpoint.dhKeyReuse()));
            stopped.await();
        }
        return 0;
    }

    /** The echo responder: every flow echoed, one INFO line per session open and close. */
    private static final class EchoLog implements EndpointListener {
        @Override
        public void onFlow(ReceiveFlow flow) {
            EchoFlow.accept(flow);
        }

        @Override
        public void onSessionOpen(Session s) {
            log.atInfo().addKeyValue("address", PeerAddresses.format(s.destination()))
                    .addKeyValue("peerId", s.farPeerId().orElse("?")).log("session open");
        }

        @Override
        public void onSessionClosed(Session s, CloseReason reason) {
            log.atInfo().addKeyValue("address", PeerAddresses.format(s.destination()))
                    .addKeyValue("peerId", s.farPeerId().orElse("?"))
                    .addKeyValue("reason", reason.name().toLowerCase(java.util.Locale.ROOT)).log("session closed");
        }

        @Override
        public void onInternalError(RuntimeException error) {
            log.warn("contained an internal error while handling a datagram", error);
        }
    }
}
