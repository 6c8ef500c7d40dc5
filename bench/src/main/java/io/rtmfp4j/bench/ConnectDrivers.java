package io.rtmfp4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link ConnectLoad} spread over several driver processes, for more clients than one process may
 * hold sockets for (each client has its own, and the open-file limit counts them).
 *
 * <p>The coordinating process starts K child JVMs of the same class path and JVM options, each
 * with a disjoint range of client indices (so of source addresses), and talks to them over their
 * standard streams, one line per message:
 * <ol>
 *   <li>child: {@code connected N FAILED START_MS END_MS} once its clients have their answers;</li>
 *   <li>with every child there, the coordinator holds, asks each {@code held} (answer: {@code held N},
 *       its clients still connected), measures the server, then sends the first child
 *       {@code introduce K}; it answers {@code introduced FAILED L1,L2,...} (microseconds);</li>
 *   <li>coordinator: {@code exit}; each child closes its clients and ends.</li>
 * </ol>
 * Children keep their clients alive (keepalives, acks) the whole time. Connects/s is the total
 * connected over the span from the first child's start to the last one's end of connecting.
 */
public final class ConnectDrivers {
    /** File descriptors a driver keeps for itself (JVM jars, selector, pipes) besides its clients' sockets. */
    private static final int RESERVED_DESCRIPTORS = 256;

    private ConnectDrivers() {
    }

    /**
     * Clients one driver can hold: its open-file limit (the soft limit, which the JVM raises to the
     * hard one on Linux, -XX:+MaxFDLimit) less what it needs for itself.
     */
    public static int clientsPerDriver() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, unix.getMaxFileDescriptorCount() - RESERVED_DESCRIPTORS));
        }
        return Integer.MAX_VALUE;
    }

    /** Drivers needed so that none holds more clients than {@link #clientsPerDriver}. */
    public static int driversFor(int clients) {
        int per = clientsPerDriver();
        return (int) ((clients + (long) per - 1) / per);
    }

    static ConnectLoad.Result run(ConnectLoad.Params p) throws IOException {
        int k = p.drivers();
        ServerMemory.Servers memory = ServerMemory.Servers.of(p.servers());
        Long rssBefore = memory.rss();
        Long heapBefore = memory.heapUsedAfterGc();
        List<Child> children = new ArrayList<>();
        Long cpuBefore = memory.cpuMillis();
        try {
            int first = 0;
            for (int i = 0; i < k; i++) {
                int count = p.clients() / k + (i < p.clients() % k ? 1 : 0);
                int concurrency = Math.max(1, p.concurrency() / k + (i < p.concurrency() % k ? 1 : 0));
                children.add(Child.start(p, first, count, concurrency));
                first += count;
            }
            int connected = 0;
            long start = Long.MAX_VALUE;
            long end = Long.MIN_VALUE;
            for (Child c : children) {
                String[] f = c.expect("connected", 5).split(" ");
                connected += Integer.parseInt(f[1]);
                start = Math.min(start, Long.parseLong(f[3]));
                end = Math.max(end, Long.parseLong(f[4]));
            }
            // Spans the children's startup too, while the servers only wait: a little idle CPU at most.
            Long cpuConnecting = ConnectLoad.difference(cpuBefore, memory.cpuMillis());
            sleep(p.hold());
            int held = 0;
            for (Child c : children) {
                c.send("held");
                held += Integer.parseInt(c.expect("held", 2).split(" ")[1]);
            }
            Long rssAfter = memory.rss();
            Long heapAfter = memory.heapUsedAfterGc();
            children.get(0).send("introduce " + p.introductions());
            String[] intro = children.get(0).expect("introduced", 2).split(" ");
            long[] latencies = intro.length < 3 || intro[2].isEmpty() ? new long[0]
                    : Arrays.stream(intro[2].split(",")).mapToLong(Long::parseLong).toArray();
            return new ConnectLoad.Result(p, connected, held, p.clients() - connected, (end - start) / 1000.0,
                    memory.firstPid(), cpuConnecting, rssBefore, rssAfter, heapBefore, heapAfter, latencies,
                    Integer.parseInt(intro[1]));
        } finally {
            for (Child c : children) {
                c.stop();
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            // Holding is the point here: the children keep their clients alive meanwhile.
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A child driver process as the coordinator sees it. */
    private record Child(Process process, BufferedReader in, PrintWriter out) {
        static Child start(ConnectLoad.Params p, int first, int count, int concurrency) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ConnectDrivers.class.getName(),
                    String.join(",", p.servers().stream().map(ConnectLoad.Target::uri).toList()),
                    String.join(",", p.servers().stream()
                            .map(t -> t.address().getAddress().getHostAddress() + "|" + t.address().getPort()).toList()),
                    Integer.toString(first), Integer.toString(count), Integer.toString(concurrency),
                    Long.toString(p.timeout().toMillis())));
            Process process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new Child(process,
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                    new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8));
        }

        /** The next line, which must start with {@code word} and have at least {@code fields} fields. */
        String expect(String word, int fields) throws IOException {
            String line = in.readLine();
            if (line == null || !line.startsWith(word + " ") || line.split(" ").length < fields) {
                throw new IOException("driver process " + process.pid() + " said '" + line + "' instead of " + word);
            }
            return line;
        }

        void send(String line) {
            out.println(line);
        }

        void stop() {
            out.println("exit");
            out.close();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A child driver: {@code URI[,URI...] HOST|PORT[,HOST|PORT...] FIRST COUNT CONCURRENCY TIMEOUT_MS}
     * (one URI and address per server); then the protocol in the class comment on its standard streams.
     */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String[] uris = args[0].split(",");
        String[] addresses = args[1].split(",");
        List<ConnectLoad.Target> servers = new ArrayList<>();
        for (int i = 0; i < uris.length; i++) {
            String[] hostPort = addresses[i].split("\\|");
            servers.add(new ConnectLoad.Target(uris[i],
                    new InetSocketAddress(InetAddress.getByName(hostPort[0]), Integer.parseInt(hostPort[1]))));
        }
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    commands.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                // The coordinator is gone: so is the reason to hold the clients.
                commands.add("exit");
            }
        }, "driver-commands");
        reader.setDaemon(true);
        reader.start();
        try (ConnectLoad load = ConnectLoad.open(servers, Integer.parseInt(args[2]), Integer.parseInt(args[3]))) {
            ConnectLoad.Connected c = load.connectAll(Integer.parseInt(args[4]), Duration.ofMillis(Long.parseLong(args[5])));
            out.println("connected " + c.connected() + " " + c.failed() + " " + c.startMillis() + " " + c.endMillis());
            while (true) {
                String command = commands.poll();
                if (command == null) {
                    load.pumpFor(Duration.ofMillis(20));
                } else if (command.equals("held")) {
                    out.println("held " + load.held());
                } else if (command.startsWith("introduce ")) {
                    ConnectLoad.Introductions intro = load.introduce(Integer.parseInt(command.substring(10).trim()));
                    StringBuilder line = new StringBuilder("introduced ").append(intro.failed()).append(' ');
                    for (int i = 0; i < intro.latencyMicros().length; i++) {
                        line.append(i == 0 ? "" : ",").append(intro.latencyMicros()[i]);
                    }
                    out.println(line);
                } else {
                    break;
                }
            }
        }
    }
}
