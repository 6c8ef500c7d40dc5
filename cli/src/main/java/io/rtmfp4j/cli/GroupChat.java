package io.rtmfp4j.cli;

import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.group.NetGroupInfo;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.net.PeerIds;
import io.rtmfp4j.flash.net.RtmfpUri;
import io.rtmfp4j.flash.tc.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One session of {@code rtmfp group chat}: a NetGroup whose postings are the room. Each posting is
 * an object {@code {kind, name, peerID, seq, text}}: {@code hello} when a member arrives, {@code
 * line} for each line typed, {@code bye} when it leaves; the sequence number keeps two identical
 * lines from being taken for one posting (spec §9: identical postings are suppressed).
 *
 * <p>Threads: {@link #run} owns the session; the group's and the connection's callbacks and the
 * input reader only queue events for it. Output is one line at a time, flushed, so that a program
 * can drive the chat through pipes; text from peers is cleaned for the terminal.
 */
final class GroupChat {
    static final String WHO = "/who";
    static final String STATS = "/stats";
    static final String QUIT = "/quit";
    static final String HELLO = "hello";
    static final String LINE = "line";
    static final String BYE = "bye";

    private sealed interface Event permits Input, InputEnded, Notice {
    }

    private record Input(String line) implements Event {
    }

    private record InputEnded() implements Event {
    }

    /** A status event of the group or the connection. */
    private record Notice(NetStatus status) implements Event {
    }

    /** Something that ends the session, with the message for the user. */
    private static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private final String server;
    private final String groupspec;
    private final String name;
    private final Duration timeout;
    private final BufferedReader in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean hungUp = new AtomicBoolean();
    private volatile NetConnection nc;
    private volatile NetGroup group;

    // State of the thread in run().
    /** Members heard from, by peer ID: the name they gave. */
    private final Map<String, String> known = new LinkedHashMap<>();
    /** Members said to be here (joined), so that each arrival and departure is said once. */
    private final Set<String> present = new HashSet<>();
    private long seq;

    GroupChat(String server, String groupspec, String name, Duration timeout, BufferedReader in, PrintWriter out,
            PrintWriter err) {
        this.server = server;
        this.groupspec = groupspec;
        this.name = name;
        this.timeout = timeout;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** Runs until the user leaves (0) or the session fails (1, with the reason on the error output). */
    int run() {
        try {
            join();
            converse();
            return 0;
        } catch (Failure e) {
            if (!hungUp.get()) {
                err.println("rtmfp group chat: " + e.getMessage());
                err.flush();
            }
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            hangUp();
        }
    }

    /** Says goodbye and closes the group and the connection; the others see us go. */
    void hangUp() {
        if (!hungUp.compareAndSet(false, true)) {
            return;
        }
        NetGroup g = group;
        if (g != null) {
            g.post(posting(BYE, ""));
            g.close();
        }
        NetConnection c = nc;
        if (c != null) {
            c.close();
        }
    }

    private void join() throws Failure, InterruptedException {
        RtmfpUri url = RtmfpUri.parse(server);
        List<InetSocketAddress> candidates;
        try {
            candidates = url.resolve();
        } catch (UnknownHostException e) {
            throw new Failure("unknown host '" + url.host() + "'");
        }
        InetSocketAddress local = new InetSocketAddress(
                candidates.get(0).getAddress() instanceof Inet6Address ? "::" : "0.0.0.0", 0);
        nc = NetConnection.builder().bind(local).build();
        // The group's own events come from the group; the connection's listener hears them too, as Flash's does.
        nc.addStatusListener(s -> {
            if (!s.code().startsWith("NetGroup.")) {
                events.add(new Notice(s));
            }
        });
        try {
            nc.connect(server).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof NetStatusException s ? s.status().description()
                    : String.valueOf(e.getCause());
            throw new Failure("cannot connect to " + server + ": " + why);
        } catch (TimeoutException e) {
            throw new Failure("no answer from the server at " + server + " within " + timeout.toSeconds() + " s");
        }
        group = new NetGroup(nc, groupspec);
        group.addStatusListener(s -> events.add(new Notice(s)));
    }

    private void converse() throws Failure, InterruptedException {
        startReading();
        boolean joined = false;
        // Lines typed before the group is joined wait for it.
        List<String> early = new ArrayList<>();
        while (true) {
            Event e = events.take();
            if (e instanceof Input i) {
                if (!joined) {
                    early.add(i.line());
                } else if (!typed(i.line())) {
                    return;
                }
            } else if (e instanceof InputEnded) {
                return;
            } else if (e instanceof Notice s && status(s.status()) && !joined) {
                joined = true;
                for (String line : early) {
                    if (!typed(line)) {
                        return;
                    }
                }
            }
        }
    }

    /** Handles a line typed; false when the user leaves. */
    private boolean typed(String line) {
        String command = line.strip();
        if (command.equals(QUIT)) {
            return false;
        } else if (command.equals(WHO)) {
            who();
        } else if (command.equals(STATS)) {
            stats();
        } else if (!line.isBlank() && group.post(posting(LINE, line)) == null) {
            say("* the line was not posted: it is too long for one posting");
        }
        return true;
    }

    /** Handles a status event; true once the group was joined. */
    private boolean status(NetStatus s) throws Failure {
        switch (s.code()) {
            case Status.GROUP_CONNECT_SUCCESS -> {
                say("* joined the group as " + name + " (peer ID " + nc.nearId() + "); type a line to send it to "
                        + "everyone, " + WHO + ", " + STATS + " or " + QUIT);
                group.post(posting(HELLO, ""));
                return true;
            }
            case Status.GROUP_CONNECT_FAILED, Status.GROUP_CONNECT_REJECTED ->
                    throw new Failure("cannot join the group: " + s.description());
            case Status.CONNECT_CLOSED, Status.CONNECT_APP_SHUTDOWN, Status.CONNECT_IDLE_TIMEOUT -> {
                if (!hungUp.get()) {
                    throw new Failure("lost the connection to the server: " + s.description());
                }
            }
            case Status.GROUP_POSTING_NOTIFY -> posting(s.info().get("message"));
            case Status.GROUP_NEIGHBOR_CONNECT -> arrived(string(s.info().get("peerID")));
            case Status.GROUP_NEIGHBOR_DISCONNECT -> departed(string(s.info().get("peerID")));
            default -> {
                // Coverage changes and the like: nothing to say.
            }
        }
        return false;
    }

    private void posting(Object message) {
        if (!(message instanceof Map<?, ?> m) || !(m.get("peerID") instanceof String peer) || !PeerIds.isPeerId(peer)) {
            return;
        }
        String id = peer.toLowerCase(Locale.ROOT);
        String who = clip(TerminalText.clean(string(m.get("name")).strip()));
        if (!who.isEmpty()) {
            known.put(id, who);
        }
        switch (string(m.get("kind"))) {
            case HELLO -> arrived(id);
            case LINE -> {
                present.add(id);
                say(nameOf(id) + ": " + TerminalText.clean(string(m.get("text"))));
            }
            case BYE -> departed(id);
            default -> {
                // A kind of a later version: ignored.
            }
        }
    }

    private void arrived(String peerId) {
        if (present.add(peerId)) {
            say("* " + nameOf(peerId) + " joined");
        }
    }

    private void departed(String peerId) {
        if (present.remove(peerId)) {
            say("* " + nameOf(peerId) + " left");
        }
    }

    private void who() {
        Map<String, String> here = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String p : present) {
            here.put(nameOf(p), p);
        }
        say("* " + here.size() + " member" + (here.size() == 1 ? "" : "s") + " known besides you"
                + (here.isEmpty() ? "" : ": " + String.join(", ", here.keySet())) + "; about "
                + Math.round(group.estimatedMemberCount()) + " in the group");
    }

    private void stats() {
        NetGroupInfo i = group.info();
        say(String.format(Locale.ROOT, "* %d neighbors, %d members heard of, about %d in the group; posting %.0f B/s "
                + "out, %.0f B/s in (control %.0f / %.0f B/s); routing %.0f / %.0f B/s", group.neighborCount(),
                group.knownMemberCount(), Math.round(group.estimatedMemberCount()),
                i.postingSendDataBytesPerSecond(), i.postingReceiveDataBytesPerSecond(),
                i.postingSendControlBytesPerSecond(), i.postingReceiveControlBytesPerSecond(),
                i.routingSendBytesPerSecond(), i.routingReceiveBytesPerSecond()));
    }

    private Map<String, Object> posting(String kind, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("name", name);
        m.put("peerID", nc.nearId());
        m.put("seq", (double) ++seq);
        m.put("text", text);
        return m;
    }

    private String nameOf(String peerId) {
        String n = known.get(peerId);
        return n != null ? n : "peer " + peerId.substring(0, 8);
    }

    private static String clip(String s) {
        return s.length() > GroupChatCommand.MAX_NAME ? s.substring(0, GroupChatCommand.MAX_NAME) : s;
    }

    private static String string(Object o) {
        return o instanceof String s ? s : "";
    }

    private void startReading() {
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = in.readLine()) != null; ) {
                    events.add(new Input(line));
                }
            } catch (IOException e) {
                // The input is gone: the same as its end.
            }
            events.add(new InputEnded());
        }, "group-chat-input");
        reader.setDaemon(true);
        reader.start();
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
