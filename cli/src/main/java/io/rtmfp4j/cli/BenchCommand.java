package io.rtmfp4j.cli;

import io.rtmfp4j.bench.ConnectDrivers;
import io.rtmfp4j.bench.ConnectLoad;
import io.rtmfp4j.bench.HandshakeLoad;
import io.rtmfp4j.bench.ThroughputLoad;
import io.rtmfp4j.flash.net.RtmfpUri;
import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.flash.net.PeerAddresses;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtmfp bench}: end-to-end load figures as JSON, and the JMH micro-benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Benchmarks: end-to-end load generators (JSON output) and the JMH suite.",
        subcommands = {BenchCommand.Handshake.class, BenchCommand.Connect.class, BenchCommand.Throughput.class, BenchP2pCommand.class,
                BenchRelayCommand.class, BenchGroupCommand.class, BenchMulticastCommand.class, BenchSwarmCommand.class,
                BenchDhtCommand.class, BenchCommand.Jmh.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: handshake, connect, throughput, p2p, relay, group or jmh");
    }

    /** An in-process server's line per session would drown a benchmark's result: it logs warnings only. */
    static void quietServerLog() {
        serverLogger().setLevel(ch.qos.logback.classic.Level.WARN);
    }

    private static ch.qos.logback.classic.Logger serverLogger() {
        return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("rtmfp.server");
    }

    /** {@code --server}'s URI; a bad one is misuse. */
    static RtmfpUri serverUri(CommandSpec spec, String server) {
        try {
            return RtmfpUri.parse(server);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--server: " + e.getMessage());
        }
    }

    /** The first address the server URI's host resolves to; a clear error if it does not resolve. */
    static InetSocketAddress firstAddress(RtmfpUri uri) throws CommandFailure {
        try {
            return uri.resolve().get(0);
        } catch (UnknownHostException e) {
            throw new CommandFailure("unknown host '" + uri.host() + "'");
        }
    }

    @Command(name = "handshake", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Opens sessions to a server as fast as it accepts them, for a bounded time, and prints "
                    + "sessions/s and the server's CPU use (found by its UDP port, when it runs on this machine) as JSON.",
                    "Every session comes from this one address, and rtmfp server answers at most 200 handshakes per "
                            + "second per address by default: to measure its handshake speed, start it with "
                            + "--handshake-rate 1000000 --handshake-burst 1000000, e.g.",
                    "  rtmfp server --bind 127.0.0.1 --port 19361 --dh-groups 2 --admin 127.0.0.1:19362 \\",
                    "      --handshake-rate 1000000 --handshake-burst 1000000 &",
                    "The driver asks the server's admin listener (--admin) how many startup packets it dropped over "
                            + "its rate limit, and counts the IHellos and IIKeyings its clients had to resend; when either "
                            + "shows the server held the load back, it says so and exits 3.",
                    "  rtmfp bench handshake --server rtmfp://127.0.0.1:19361 --dh-group 2 \\",
                    "      --seconds 15 --warmup 30"})
    static final class Handshake implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", paramLabel = "URI", defaultValue = "rtmfp://127.0.0.1:1935",
                description = "Server to load (default: ${DEFAULT-VALUE}).")
        String server;

        @Option(names = "--seconds", paramLabel = "N", defaultValue = "10", description = "How long to run (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
                description = "Seconds of the same load before measuring, not counted: lets the JIT compilers of "
                        + "this driver and of a Java server settle (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--concurrency", paramLabel = "C", defaultValue = "8",
                description = "Handshakes in flight at once, one client endpoint each (default: ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--client-threads", paramLabel = "N", defaultValue = "" + HandshakeLoad.DEFAULT_CLIENT_THREADS,
                description = "Loop threads the client endpoints share: the fewer, the less CPU the driver takes from "
                        + "a server on the same machine (default: ${DEFAULT-VALUE}).")
        int clientThreads;

        @Option(names = "--dh-group", paramLabel = "G", defaultValue = "2", converter = DhGroupConverter.class,
                description = "The DH group the clients offer, hence the one used (default: ${DEFAULT-VALUE}).")
        DhGroup group;

        @Option(names = "--client-exponent-bits", paramLabel = "BITS",
                defaultValue = "" + HandshakeLoad.DEFAULT_CLIENT_EXPONENT_BITS,
                description = "Private exponent length of the clients' static DH keys; short ones make the clients' "
                        + "agreements cheap and leave more CPU to a server on the same machine, without changing what "
                        + "the server computes. 0 for the group's full length, as real clients (default: ${DEFAULT-VALUE}).")
        int clientExponentBits;

        @Option(names = "--require-hmac", description = "Clients send and require HMACs.")
        boolean requireHmac;

        @Option(names = "--require-sseq", description = "Clients send and require session sequence numbers.")
        boolean requireSseq;

        @Option(names = "--admin", paramLabel = "URL|off",
                description = "The server's admin listener, to ask it how many startup packets it dropped over its "
                        + "per-address rate; 'off' not to ask (default: http://SERVER-HOST:1936, where rtmfp server "
                        + "listens unless told otherwise).")
        String admin;

        @Override
        public Integer call() throws Exception {
            if (seconds < 1 || seconds > 3600) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be 1..3600");
            }
            if (warmup < 0 || warmup > 3600) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--warmup must be 0..3600");
            }
            if (concurrency < 1 || concurrency > 1024) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--concurrency must be 1..1024");
            }
            if (clientThreads < 1 || clientThreads > concurrency) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--client-threads must be 1.." + concurrency + " (the --concurrency)");
            }
            RtmfpUri uri = serverUri(spec, server);
            InetSocketAddress address = firstAddress(uri);
            HandshakeLoad.Result result = HandshakeLoad.run(new HandshakeLoad.Params(uri.text(), address,
                    Duration.ofSeconds(seconds), concurrency, group, requireHmac, requireSseq,
                    Duration.ofSeconds(warmup), clientExponentBits, clientThreads, adminUri(address)));
            PrintWriter out = spec.commandLine().getOut();
            out.println(result.toJson());
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            if (result.heldBack()) {
                err.println("rtmfp bench handshake: the server held the load back ("
                        + (result.serverRateLimited() != null
                                ? result.serverRateLimited() + " startup packets dropped over its per-address rate"
                                : result.startupRetransmissions() + " IHellos and IIKeyings went unanswered and were resent")
                        + "), so " + String.format(Locale.ROOT, "%.1f", result.sessionsPerSecond())
                        + " sessions/s is its rate limit, not its handshake speed: all sessions come from this one "
                        + "address; start rtmfp server with --handshake-rate 1000000 --handshake-burst 1000000");
                err.flush();
                return 3;
            }
            if (result.sessions() == 0) {
                err.println("rtmfp bench handshake: no session could be opened with " + server);
                return 1;
            }
            return 0;
        }

        /** --admin, or where rtmfp server's admin listener is by default on the server's host. */
        private URI adminUri(InetSocketAddress address) {
            if ("off".equalsIgnoreCase(admin)) {
                return null;
            }
            String text = admin != null ? admin : "http://" + PeerAddresses.format(
                    new InetSocketAddress(address.getAddress(), 1936));
            try {
                URI u = new URI(text);
                if (!"http".equals(u.getScheme()) || u.getHost() == null) {
                    throw new URISyntaxException(text, "expected http://HOST:PORT");
                }
                return u;
            } catch (URISyntaxException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--admin must be http://HOST:PORT or off, got '"
                        + text + "'");
            }
        }
    }

    @Command(name = "connect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Connects N full clients (session, connect, _result) to a rendezvous server and keeps them "
                    + "connected; prints connects/s, the server's RSS and live heap per session (before and after, "
                    + "when the server runs on this machine; the heap through jcmd after a full GC) and the latency of "
                    + "introductions between pairs of clients (IHello to the first packet from the target) as JSON.",
                    "Each client has its own UDP socket, so one process holds at most as many clients as its open-file "
                            + "limit (ulimit -n) allows; beyond that the clients are spread over several driver "
                            + "processes (child JVMs of this one, with its JVM options), whose figures are summed."})
    static final class Connect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", paramLabel = "URI", split = ",", defaultValue = "rtmfp://127.0.0.1:1935/app",
                description = "Server to connect to; several (comma-separated: the nodes of a cluster) share the "
                        + "clients in turn, so that every introduction timed crosses nodes (default: ${DEFAULT-VALUE}).")
        List<String> server;

        @Option(names = "--clients", paramLabel = "N", defaultValue = "1000",
                description = "Clients to connect and hold (default: ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--concurrency", paramLabel = "C", defaultValue = "64",
                description = "Connects in progress at once (default: ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--introductions", paramLabel = "K", defaultValue = "100",
                description = "Introductions to time, one at a time, once everyone is connected (default: ${DEFAULT-VALUE}).")
        int introductions;

        @Option(names = "--hold", paramLabel = "DURATION", defaultValue = "5s", converter = Durations.class,
                description = "How long to hold everyone connected before measuring memory (default: ${DEFAULT-VALUE}).")
        Duration hold;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "300s", converter = Durations.class,
                description = "Give up connecting after this long (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--drivers", paramLabel = "K",
                description = "Driver processes to spread the clients over, 1..64 (default: as few as keep each "
                        + "within the open-file limit, less 256 descriptors for itself).")
        Integer drivers;

        @Option(names = "--batches", paramLabel = "B", defaultValue = "1",
                description = {"Runs the benchmark B times, 1..100, one JSON line per batch (numbered when B > 1); a "
                        + "batch's clients send their Close before the next connects (default: ${DEFAULT-VALUE}).",
                        "From the second batch the driver process is warm; several --drivers are new in every batch."})
        int batches;

        @Override
        public Integer call() throws Exception {
            if (clients < 1 || clients > 1_000_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--clients must be 1..1000000");
            }
            if (concurrency < 1 || concurrency > 10_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--concurrency must be 1..10000");
            }
            if (introductions < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--introductions must not be negative");
            }
            if (batches < 1 || batches > 100) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--batches must be 1..100");
            }
            int k = drivers == null ? ConnectDrivers.driversFor(clients) : drivers;
            if (k < 1 || k > 64 || k > clients) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--drivers must be 1..64 and at most --clients");
            }
            List<ConnectLoad.Target> targets = new ArrayList<>();
            for (String s : server) {
                RtmfpUri uri = serverUri(spec, s);
                targets.add(new ConnectLoad.Target(uri.text(), firstAddress(uri)));
            }
            ConnectLoad.Params params = new ConnectLoad.Params(targets, clients, concurrency, introductions, hold,
                    timeout, k);
            PrintWriter out = spec.commandLine().getOut();
            for (int b = 1; b <= batches; b++) {
                ConnectLoad.Result result = ConnectLoad.run(params);
                out.println(result.toJson(batches == 1 ? 0 : b));
                out.flush();
                if (result.connected() == 0) {
                    spec.commandLine().getErr().println("rtmfp bench connect: no client could connect to " + server
                            + (batches == 1 ? "" : " in batch " + b));
                    return 1;
                }
            }
            return 0;
        }
    }

    @Command(name = "throughput", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Sends on one flow as fast as it goes, keeping the send buffer full, for a bounded time, and "
                    + "prints goodput (acknowledged application bytes), datagrams/s and CPU seconds per GB as JSON.",
                    "Without --server the receiver is a discard sink on 127.0.0.1 in this process, on its own event "
                            + "loop; CPU is given for the whole process and for each end's loop thread. With --server "
                            + "(e.g. 'rtmfp server --echo' or rtmfp-cpp's echoserver) the return flow is refused, so "
                            + "the server only discards, and its CPU is read from /proc when it runs on this machine."})
    static final class Throughput implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", paramLabel = "URI", description = "Receiver to send to (default: an in-process sink).")
        String server;

        @Option(names = "--seconds", paramLabel = "N", defaultValue = "10",
                description = "How long to measure, 1..3600 (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "1s", converter = Durations.class,
                description = "Unmeasured run before the measurement (default: ${DEFAULT-VALUE}).")
        Duration warmup;

        @Option(names = "--size", paramLabel = "BYTES", defaultValue = "16384",
                description = "Message size, 1..16777216 (default: ${DEFAULT-VALUE}).")
        int size;

        @Override
        public Integer call() throws Exception {
            if (seconds < 1 || seconds > 3600) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be 1..3600, got " + seconds);
            }
            if (size < 1 || size > PingCommand.MAX_ECHO_SIZE) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--size must be 1.." + PingCommand.MAX_ECHO_SIZE + " bytes, got " + size);
            }
            String uriText = null;
            InetSocketAddress address = null;
            if (server != null) {
                RtmfpUri uri = serverUri(spec, server);
                address = firstAddress(uri);
                uriText = uri.text();
            }
            ThroughputLoad.Result result = ThroughputLoad.run(new ThroughputLoad.Params(uriText, address,
                    Duration.ofSeconds(seconds), warmup, size));
            PrintWriter out = spec.commandLine().getOut();
            out.println(result.toJson());
            out.flush();
            if (result.error() != null || result.bytesDelivered() == 0) {
                spec.commandLine().getErr().println("rtmfp bench throughput: "
                        + (result.error() != null ? result.error() : "nothing was delivered"));
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "jmh", description = {"Runs the JMH micro-benchmarks (packet protection, Diffie-Hellman, sequence sets, ack ranges, "
            + "in-memory flow transfer); "
            + "arguments go to JMH, e.g. 'rtmfp bench jmh PacketProtection -rf json'.",
            "JMH itself is not in rtmfp.jar: it runs from the jmh/ folder the build puts beside it."})
    static final class Jmh implements Callable<Integer> {
        /** Where the build puts JMH's jars, beside rtmfp.jar (or the classes folder it was built from). */
        static final String LIBRARIES = "jmh";

        /** Everything, options included, belongs to JMH. */
        @CommandLine.Unmatched
        List<String> args = new java.util.ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Path home = Path.of(Jmh.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
            Path libraries = home.resolve(LIBRARIES);
            List<String> jars;
            try (Stream<Path> files = Files.list(libraries)) {
                jars = files.filter(f -> f.toString().endsWith(".jar")).map(Path::toString).sorted().toList();
            } catch (IOException e) {
                jars = List.of();
            }
            if (jars.isEmpty()) {
                throw new CommandFailure("JMH is not in " + libraries + ": build it with ./mvnw -pl cli -am package");
            }
            // JMH forks its benchmark JVMs with this same class path.
            String classpath = System.getProperty("java.class.path") + File.pathSeparator
                    + String.join(File.pathSeparator, jars);
            List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                    "java").toString(), "-cp", classpath, "org.openjdk.jmh.Main"));
            command.addAll(args);
            return new ProcessBuilder(command).inheritIO().start().waitFor();
        }
    }
}
