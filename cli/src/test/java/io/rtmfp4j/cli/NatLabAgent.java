package io.rtmfp4j.cli;

import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.net.RelayPolicy;
import io.rtmfp4j.flash.tc.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One host of the NAT lab (docs/nat.md): a JVM in a network namespace that runs what
 * {@link NatLabTest} asks of it, many at once, each with connections of its own (fresh sockets,
 * so fresh NAT mappings). It reads {@code ID VERB ARGS...} lines and answers
 * {@code ID ok|fail|ready TEXT} lines. The verbs run the real commands (chat, send, receive,
 * stream, nat-check) in process, with their output captured, or, for the direct-session matrix,
 * a plain direct NetStream with the relay turned off.
 */
public final class NatLabAgent {
    private static final PrintStream OUT = System.out;
    private static String server;

    private NatLabAgent() {
    }

    public static void main(String[] args) throws IOException {
        server = args[0];
        // The commands' logs stay out of the answers.
        System.setOut(System.err);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "natlab-task");
            t.setDaemon(true);
            return t;
        });
        answer("-", "ready", "agent");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split(" ");
            if (w.length < 2) {
                continue;
            }
            pool.execute(() -> {
                try {
                    run(w[0], w[1], java.util.Arrays.copyOfRange(w, 2, w.length));
                } catch (Exception e) {
                    answer(w[0], "fail", String.valueOf(e));
                }
            });
        }
        System.exit(0);
    }

    static synchronized void answer(String id, String kind, String text) {
        OUT.println(id + " " + kind + " " + text.replace('\n', ' '));
        OUT.flush();
    }

    private static void run(String id, String verb, String[] a) throws Exception {
        switch (verb) {
            case "listen" -> listen(id, a[0]);
            case "dial" -> dial(id, a[0], Duration.ofMillis(Long.parseLong(a[1])));
            case "chat-wait" -> chat(id, a[0], Optional.empty());
            case "chat-call" -> chat(id, a[0], Optional.of(a[1]));
            case "cli" -> cli(id, a);
            default -> answer(id, "fail", "unknown verb " + verb);
        }
    }

    /** A direct-only publisher of stream "probe", under a name; stays until the agent ends. */
    private static void listen(String id, String name) throws Exception {
        NetConnection nc = NetConnection.builder().bind(new InetSocketAddress("0.0.0.0", 0)).nickname(name)
                .relay(RelayPolicy.NEVER).build();
        nc.connect(server).get(60, TimeUnit.SECONDS);
        NetStream.publisher(nc).publish("probe");
        answer(id, "ready", nc.nearId());
    }

    /** Plays {@code name}'s "probe" with the relay off: did a direct session open, and how fast? */
    private static void dial(String id, String name, Duration within) throws Exception {
        try (NetConnection nc = NetConnection.builder().bind(new InetSocketAddress("0.0.0.0", 0))
                .relay(RelayPolicy.NEVER).openTimeout(within).build()) {
            nc.connect(server).get(60, TimeUnit.SECONDS);
            String peerId = nc.lookup(name).get(60, TimeUnit.SECONDS).peerId();
            CompletableFuture<NetStatus> outcome = new CompletableFuture<>();
            NetStream player = NetStream.player(nc, peerId);
            player.setHandler(new NetStreamHandler() {
                @Override
                public void onStatus(NetStatus s) {
                    if (s.code().equals(Status.PLAY_START) || s.code().equals(Status.STREAM_CONNECT_FAILED)) {
                        outcome.complete(s);
                    }
                }
            });
            long start = System.nanoTime();
            player.play("probe");
            NetStatus s = outcome.get(within.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            long ms = (System.nanoTime() - start) / 1_000_000;
            answer(id, s.code().equals(Status.PLAY_START) ? "ok" : "fail", "ms=" + ms);
        }
    }

    /**
     * A chat: waits as {@code name}, or calls {@code to}. The caller says "ping from NAME"; the
     * waiter answers each line with "pong"; the caller leaves once it hears it. Answers with what
     * each side printed that matters: whether it was relayed, what it received.
     */
    private static void chat(String id, String name, Optional<String> to) throws Exception {
        PipedWriter keyboard = new PipedWriter();
        BufferedReader typed = new BufferedReader(new PipedReader(keyboard, 4096));
        List<String> lines = new CopyOnWriteArrayList<>();
        PrintWriter input = new PrintWriter(keyboard, true);
        PrintWriter out = new PrintWriter(new Lines(line -> {
            lines.add(line);
            if (line.startsWith("* waiting for someone")) {
                answer(id, "ready", name);
            } else if (line.startsWith("* chatting with") && to.isPresent()) {
                input.println("ping from " + name);
            } else if (!line.startsWith("* ") && line.contains(": ping from") && to.isEmpty()) {
                input.println("pong");
            } else if (!line.startsWith("* ") && line.endsWith(": pong") && to.isPresent()) {
                input.println(Chat.QUIT);
            }
        }), true);
        PrintWriter err = new PrintWriter(new Lines(lines::add), true);
        Chat chat = new Chat(new Chat.Settings(server, name, to, Duration.ofSeconds(60)), typed, out, err);
        int exit = chat.run();
        boolean relayed = lines.stream().anyMatch(l -> l.startsWith("* through the server's relay"));
        boolean heard = lines.stream().anyMatch(l -> !l.startsWith("* ")
                && (to.isPresent() ? l.endsWith(": pong") : l.contains(": ping from ")));
        answer(id, exit == 0 && heard ? "ok" : "fail", "relayed=" + relayed + " lines=" + lines);
    }

    /**
     * {@code rtmfp ARGS...} in process; "ready" with the first line of output (a receiver's or a
     * publisher's announcement), then "ok"/"fail" with the exit code and everything it printed.
     */
    private static void cli(String id, String[] args) {
        List<String> printed = new ArrayList<>();
        boolean[] first = {true};
        Consumer<String> line = l -> {
            synchronized (printed) {
                printed.add(l);
                if (first[0]) {
                    first[0] = false;
                    answer(id, "ready", l);
                }
            }
        };
        List<String> all = new ArrayList<>(List.of(args));
        int exit = Rtmfp.commandLine().setOut(new PrintWriter(new Lines(line), true))
                .setErr(new PrintWriter(new Lines(line), true)).execute(all.toArray(String[]::new));
        synchronized (printed) {
            answer(id, exit == 0 ? "ok" : "fail", "exit=" + exit + " " + printed);
        }
    }
}
