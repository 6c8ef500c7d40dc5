package io.rtmfp4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The NAT lab's network namespaces (built by {@code natlab/natlab.sh}, docs/nat.md) and the
 * processes in them: the server, and one {@link NatLabAgent} per host. Everything it starts it
 * ends, by its own handle, and the namespaces go with {@link #close}.
 */
final class NatLab implements AutoCloseable {
    static final String SERVER_ADDRESS = "198.51.100.1";
    static final int PORT = 26000;
    static final String URL = "rtmfp://" + SERVER_ADDRESS + ":" + PORT + "/lab";

    private final Path script;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();

    private NatLab(Path script, Path logs) {
        this.script = script;
        this.logs = logs;
    }

    /**
     * Why the lab cannot run here, or null when it can: it needs Linux, root, iproute2 and
     * nftables, and permission to make network namespaces.
     */
    static String unavailable() throws InterruptedException {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return "not Linux";
        }
        for (String tool : List.of("ip", "nft")) {
            if (!onPath(tool)) {
                return "'" + tool + "' is not installed (iproute2, nftables)";
            }
        }
        try {
            // One left by a run that was killed would make the probe fail for the wrong reason.
            new ProcessBuilder("ip", "netns", "del", "r19-probe").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            Process p = new ProcessBuilder("ip", "netns", "add", "r19-probe").redirectErrorStream(true).start();
            String why = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                return "network namespaces are not permitted here (" + why + ")";
            }
            new ProcessBuilder("ip", "netns", "del", "r19-probe").start().waitFor();
        } catch (IOException e) {
            return "cannot run ip: " + e.getMessage();
        }
        return null;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Builds the namespaces (stale ones first removed) and starts the server in r19-srv. */
    static NatLab up(Path logs) throws Exception {
        Files.createDirectories(logs);
        Path script = logs.resolve("natlab.sh");
        try (InputStream in = NatLab.class.getResourceAsStream("/natlab/natlab.sh")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        NatLab lab = new NatLab(script, logs);
        lab.script("up");
        return lab;
    }

    private void script(String action) throws Exception {
        Process p = new ProcessBuilder("bash", script.toString(), action).redirectErrorStream(true)
                .redirectOutput(logs.resolve("natlab-" + action + ".log").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("natlab.sh " + action + " failed: "
                    + Files.readString(logs.resolve("natlab-" + action + ".log")));
        }
    }

    /** {@code java ... MAIN ARGS} in namespace {@code ns}, its error output to a log file. */
    Process java(String ns, String main, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(logs.resolve(ns + ".log").toFile()).start();
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    /** The rendezvous server, with the connectivity check on the server's three addresses. */
    Process server() throws IOException {
        return java("r19-srv", Rtmfp.class.getName(), List.of("server", "--bind", SERVER_ADDRESS, "--port",
                "" + PORT, "--admin", "off", "--conncheck", "" + (PORT + 1), "--conncheck-address",
                "198.51.100.2:" + (PORT + 2), "--conncheck-intro", "198.51.100.3:" + (PORT + 3)));
    }

    Host host(String ns) throws IOException {
        return new Host(ns, java(ns, NatLabAgent.class.getName(), List.of(URL)));
    }

    /** Ends every process started here, then removes the namespaces. */
    @Override
    public void close() throws Exception {
        synchronized (processes) {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        script("down");
    }

    /** What an agent said about one request. */
    record Answer(boolean ok, String text) {
    }

    /** One request to an agent: its "ready" line, if it sends one, and its final answer. */
    record Request(CompletableFuture<String> ready, CompletableFuture<Answer> done) {
        Answer await() throws Exception {
            return done.get(4, TimeUnit.MINUTES);
        }

        String awaitReady() throws Exception {
            return CompletableFuture.anyOf(ready, done).thenApply(x -> x instanceof String s ? s
                    : "not ready: " + x).get(4, TimeUnit.MINUTES);
        }
    }

    /** A host's agent. */
    static final class Host {
        final String ns;
        private final PrintWriter in;
        private final Map<String, Request> requests = new ConcurrentHashMap<>();
        private final AtomicInteger next = new AtomicInteger();
        private final CompletableFuture<Void> started = new CompletableFuture<>();

        Host(String ns, Process p) {
            this.ns = ns;
            this.in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> read(p.getInputStream()), "natlab-" + ns);
            reader.setDaemon(true);
            reader.start();
        }

        private void read(InputStream out) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    String[] w = line.split(" ", 3);
                    String text = w.length > 2 ? w[2] : "";
                    if (w[0].equals("-")) {
                        started.complete(null);
                        continue;
                    }
                    Request q = requests.get(w[0]);
                    if (q == null || w.length < 2) {
                        continue;
                    }
                    switch (w[1]) {
                        case "ready" -> q.ready.complete(text);
                        case "ok" -> q.done.complete(new Answer(true, text));
                        default -> q.done.complete(new Answer(false, text));
                    }
                }
            } catch (IOException e) {
                // The agent ended: requests still waiting time out and say so.
            }
            started.completeExceptionally(new IllegalStateException(ns + "'s agent ended"));
        }

        void awaitStarted() throws Exception {
            started.get(4, TimeUnit.MINUTES);
        }

        Request ask(String verb, String... args) {
            String id = ns + "-" + next.incrementAndGet();
            Request q = new Request(new CompletableFuture<>(), new CompletableFuture<>());
            requests.put(id, q);
            synchronized (in) {
                in.println(id + " " + verb + (args.length == 0 ? "" : " " + String.join(" ", args)));
            }
            return q;
        }
    }
}
