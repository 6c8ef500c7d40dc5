package io.rtmfp4j.cli;

import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.net.PeerIds;
import io.rtmfp4j.flash.net.PeerInfo;
import io.rtmfp4j.flash.net.PeerStream;
import io.rtmfp4j.flash.net.RtmfpUri;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.server.directory.Nickname;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One conversation of {@code rtmfp chat}, the classic Flash P2P chat: each side publishes a
 * direct stream named {@value #STREAM} and plays the other's. The side that knows whom it wants
 * plays that peer's stream; the side that waits lets the first peer that plays its stream in
 * (refusing the others while the conversation lasts) and plays that peer's stream back. Each
 * side's first message is {@code hello(name)}, then every line typed is a {@code message(text)}.
 *
 * <p>Threads: {@link #run} owns the conversation; stream and connection callbacks and the input
 * reader only queue events for it, so its state needs no locks. Output is one line at a time,
 * flushed, so that a program can drive a chat through pipes.
 */
final class Chat {
    /** The direct stream every chat publishes. */
    static final String STREAM = "chat";
    /** The first data message on a chat stream: the sender's name. */
    static final String HELLO = "hello";
    /** A line the user typed. */
    static final String MESSAGE = "message";
    /** What the user types to leave. */
    static final String QUIT = "/quit";
    /** Longest name shown for a peer: what the server accepts as a nickname. */
    private static final int MAX_NAME = Nickname.MAX_LENGTH;
    /** NetConnection.close waits up to 5 s for its loop; a little more for the whole hang-up. */
    private static final Duration HANG_UP_WAIT = Duration.ofSeconds(10);

    /**
     * @param server  rtmfp://host[:port]/app
     * @param name    our name
     * @param to      whom to chat with (a name or a peer ID); empty to wait for someone
     * @param serverTimeout how long the server may take to answer (connect, lookup)
     * @param timeout how long the peer may take to answer
     * @param reach   UDP or TCP to the server, direct or relayed to the peer (docs/nat.md)
     */
    record Settings(String server, String name, Optional<String> to, Duration serverTimeout, Duration timeout,
            ReachOptions reach) {
        /** The same time for the server and the peer, as the command's --timeout gives; the default ways. */
        Settings(String server, String name, Optional<String> to, Duration timeout) {
            this(server, name, to, timeout, timeout);
        }

        /** The default ways to the server and the peer. */
        Settings(String server, String name, Optional<String> to, Duration serverTimeout, Duration timeout) {
            this(server, name, to, serverTimeout, timeout, new ReachOptions());
        }
    }

    /** The conversation could not start or went wrong; the message says why, for the user. */
    static final class ChatException extends Exception {
        ChatException(String message) {
            super(message);
        }
    }

    private sealed interface Event permits Input, InputEnded, ServerStatus, PublisherStatus, PlayerStatus, Data,
            Refused {
    }

    private record Input(String line) implements Event {
    }

    private record InputEnded() implements Event {
    }

    private record ServerStatus(NetStatus status) implements Event {
    }

    private record PublisherStatus(NetStatus status) implements Event {
    }

    private record PlayerStatus(NetStatus status) implements Event {
    }

    private record Data(String handler, List<Object> arguments) implements Event {
    }

    private record Refused(String peerId) implements Event {
    }

    private final Settings settings;
    private final BufferedReader in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    /** The one peer of this conversation: set before playing it, or by the first peer admitted. */
    private final AtomicReference<String> peerId = new AtomicReference<>();
    /** Its subscription to our stream, once admitted. */
    private final AtomicReference<PeerStream> subscriber = new AtomicReference<>();
    private volatile NetConnection nc;
    private final AtomicBoolean hungUp = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    // State of the thread in run().
    private NetStream player;
    private String peerName;
    private boolean helloReceived;
    private boolean subscribed;
    private boolean chatting;
    private boolean leaving;
    private boolean noticeShown;
    private boolean ended;
    private long deadline = Long.MAX_VALUE;
    private final Queue<String> unsent = new ArrayDeque<>();
    private final List<CompletableFuture<Void>> unacknowledged = new ArrayList<>();

    Chat(Settings settings, BufferedReader in, PrintWriter out, PrintWriter err) {
        this.settings = settings;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the conversation until the user leaves (0), the peer leaves (0) or something fails
     * (1, with the reason on the error output).
     */
    int run() {
        try {
            converse();
            return 0;
        } catch (ChatException e) {
            if (!hungUp.get()) {
                err.println("rtmfp chat: " + e.getMessage());
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

    /**
     * Closes the connection, and so the streams and the peer session; the peer sees us leave.
     * A caller that finds the hang-up under way on another thread waits for it: a shutdown hook
     * that returned early would let the JVM halt before the peer was told.
     */
    void hangUp() {
        NetConnection c = nc;
        if (c == null) {
            return;
        }
        if (hungUp.compareAndSet(false, true)) {
            try {
                c.close();
            } finally {
                closed.countDown();
            }
        } else {
            try {
                closed.await(HANG_UP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void converse() throws ChatException, InterruptedException {
        connect();
        Optional<PeerInfo> target = settings.to().isPresent() ? Optional.of(resolve(settings.to().get()))
                : Optional.empty();
        NetStream publisher = NetStream.publisher(nc);
        publisher.setHandler(new NetStreamHandler() {
            @Override
            public void onStatus(NetStatus status) {
                events.add(new PublisherStatus(status));
            }
        });
        publisher.onPeerConnect(this::admit);
        if (target.isPresent()) {
            // Only the peer we call may play our stream: it will, once it has let us in.
            peerId.set(target.get().peerId());
            peerName = target.get().nickname().map(TerminalText::clean).orElse(null);
        }
        publisher.publish(STREAM);
        if (target.isPresent()) {
            play(target.get().peerId());
            deadline = System.nanoTime() + settings.timeout().toNanos();
            say("* calling " + who() + "...");
        } else {
            say("* waiting for someone to chat with; they run: rtmfp chat --server " + settings.server()
                    + " --name THEIR_NAME --to " + settings.name() + " (or --to " + nc.nearId() + ")");
        }
        startReading();
        while (!ended) {
            long wait = deadline - System.nanoTime();
            Event e = deadline == Long.MAX_VALUE ? events.take() : events.poll(wait, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new ChatException(who() + " did not answer within " + seconds(settings.timeout()));
            }
            handle(e);
            if (leaving && (unsent.isEmpty() || chatting)) {
                ended = true;
            }
        }
        awaitAcknowledgements();
    }

    // ---------------------------------------------------------------- setting up

    private void connect() throws ChatException, InterruptedException {
        RtmfpUri url = RtmfpUri.parse(settings.server());
        List<InetSocketAddress> candidates;
        try {
            candidates = url.resolve();
        } catch (UnknownHostException e) {
            throw new ChatException("unknown host '" + url.host() + "'");
        }
        // A wildcard of the server's address family: peers reach us on every interface.
        InetSocketAddress local = new InetSocketAddress(
                candidates.get(0).getAddress() instanceof Inet6Address ? "::" : "0.0.0.0", 0);
        nc = settings.reach().apply(NetConnection.builder().nickname(settings.name()).bind(local)).build();
        nc.addStatusListener(status -> events.add(new ServerStatus(status)));
        try {
            nc.connect(settings.server()).get(settings.serverTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            NetStatus status = statusOf(e);
            if (Status.CONNECT_REJECTED.equals(status.code())) {
                throw new ChatException("the server at " + settings.server() + " refused the connection: "
                        + status.description());
            }
            throw new ChatException("cannot reach the server at " + settings.server() + ": " + status.description());
        } catch (TimeoutException e) {
            throw new ChatException("no answer from the server at " + settings.server() + " within "
                    + seconds(settings.serverTimeout()));
        }
        say("* connected to " + settings.server() + " as " + settings.name() + ", peer ID " + nc.nearId()
                + (ReachOptions.overTcp(nc) ? " (over TCP: UDP got no answer, or was not to be used)" : ""));
    }

    /** A peer ID as it is; a name through the server's presence service. */
    private PeerInfo resolve(String to) throws ChatException, InterruptedException {
        PeerInfo found;
        if (PeerIds.isPeerId(to)) {
            found = new PeerInfo(PeerIds.normalize(to), Optional.empty());
        } else {
            try {
                found = nc.lookup(to).get(settings.serverTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                NetStatus status = statusOf(e);
                if (Status.LOOKUP_NOT_FOUND.equals(status.code())) {
                    throw new ChatException("no peer named '" + to + "' is connected");
                }
                throw new ChatException("the server could not look up '" + to + "' (" + status.description()
                        + "); give its peer ID with --to instead");
            } catch (TimeoutException e) {
                throw new ChatException("the server did not answer the lookup of '" + to + "' within "
                        + seconds(settings.serverTimeout()));
            }
            if (found.nickname().isEmpty()) {
                found = new PeerInfo(found.peerId(), Optional.of(to));
            }
        }
        if (found.peerId().equals(nc.nearId())) {
            throw new ChatException("that is you: chat with someone else");
        }
        return found;
    }

    private static NetStatus statusOf(ExecutionException e) {
        return e.getCause() instanceof NetStatusException s ? s.status()
                : NetStatus.of(Status.LEVEL_ERROR, Status.CALL_FAILED, ErrorText.of(e));
    }

    /** Runs on the connection's loop: the answer is needed there, so it only compares and queues. */
    private boolean admit(PeerStream peer) {
        String id = peer.farId();
        boolean ours = peerId.compareAndSet(null, id) || id.equals(peerId.get());
        if (ours && subscriber.compareAndSet(null, peer)) {
            return true;
        }
        events.add(new Refused(id));
        return false;
    }

    private void play(String id) {
        player = NetStream.player(nc, id);
        player.setHandler(new NetStreamHandler() {
            @Override
            public void onStatus(NetStatus status) {
                events.add(new PlayerStatus(status));
            }

            @Override
            public void onData(String handler, List<Object> arguments) {
                events.add(new Data(handler, List.copyOf(arguments)));
            }
        });
        player.play(STREAM);
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
        }, "chat-input");
        // A reader blocked on the terminal must not keep the process alive after the chat.
        reader.setDaemon(true);
        reader.start();
    }

    // ---------------------------------------------------------------- events

    private void handle(Event event) throws ChatException {
        if (event instanceof Input i) {
            typed(i.line());
        } else if (event instanceof InputEnded) {
            leaving = true;
        } else if (event instanceof ServerStatus s) {
            serverStatus(s.status());
        } else if (event instanceof PublisherStatus s) {
            publisherStatus(s.status());
        } else if (event instanceof PlayerStatus s) {
            playerStatus(s.status());
        } else if (event instanceof Data d) {
            data(d.handler(), d.arguments());
        } else if (event instanceof Refused r) {
            say("* refused peer " + r.peerId() + ": already chatting with " + who());
        }
    }

    private void typed(String line) {
        if (line.strip().equals(QUIT)) {
            leaving = true;
        } else if (line.isBlank()) {
            return;
        } else if (chatting) {
            send(line);
        } else {
            unsent.add(line);
            if (!noticeShown) {
                noticeShown = true;
                say("* not chatting yet: what you type is sent once the chat starts");
            }
        }
    }

    private void serverStatus(NetStatus status) throws ChatException {
        String code = status.code();
        if (hungUp.get()) {
            // We hung up (the process is being stopped): nothing was lost.
            ended = true;
        } else if (Status.CONNECT_CLOSED.equals(code) || Status.CONNECT_APP_SHUTDOWN.equals(code)
                || Status.CONNECT_IDLE_TIMEOUT.equals(code)) {
            throw new ChatException("lost the connection to the server: " + status.description());
        }
    }

    private void publisherStatus(NetStatus status) throws ChatException {
        String code = status.code();
        boolean aboutOurPeer = status.info().get("peerId") instanceof String id && id.equals(peerId.get());
        if (Status.STREAM_CONNECT_SUCCESS.equals(code) && aboutOurPeer && !subscribed) {
            subscribed = true;
            // Our first message on the stream says who we are; everything after it is in order.
            subscriber.get().send(HELLO, settings.name());
            if (player == null) {
                play(peerId.get());
                deadline = System.nanoTime() + settings.timeout().toNanos();
            }
            startIfReady();
        } else if (Status.STREAM_CONNECT_CLOSED.equals(code) && aboutOurPeer && subscribed) {
            peerLeft();
        } else if (Status.PUBLISH_BAD_NAME.equals(code)) {
            throw new ChatException("cannot publish the chat stream: " + status.description());
        }
    }

    private void playerStatus(NetStatus status) throws ChatException {
        switch (status.code()) {
            case Status.STREAM_CONNECT_REJECTED -> throw new ChatException(who() + " refused the chat");
            case Status.STREAM_CONNECT_FAILED -> throw new ChatException("cannot reach " + who() + ": "
                    + status.description());
            case Status.PLAY_STREAM_NOT_FOUND -> throw new ChatException(who() + " is not chatting (it publishes no '"
                    + STREAM + "' stream)");
            case Status.PLAY_FAILED -> throw new ChatException("cannot play the stream of " + who() + ": "
                    + status.description());
            case Status.STREAM_CONNECT_CLOSED, Status.PLAY_STOP, Status.PLAY_UNPUBLISH_NOTIFY -> peerLeft();
            default -> {
                // Connect.Success, Play.Reset, Play.Start: the conversation starts with the hello.
            }
        }
    }

    private void data(String handler, List<Object> arguments) {
        Object first = arguments.isEmpty() ? null : arguments.get(0);
        if (!(first instanceof String text)) {
            return;
        }
        if (HELLO.equals(handler) && !helloReceived) {
            helloReceived = true;
            // A name the server vouched for (looked up) stays; otherwise the peer's own word.
            if (peerName == null && !text.isBlank()) {
                String clean = TerminalText.clean(text.strip());
                peerName = clean.length() > MAX_NAME ? clean.substring(0, MAX_NAME) : clean;
            }
            startIfReady();
        } else if (MESSAGE.equals(handler)) {
            say(who() + ": " + TerminalText.clean(text));
        }
    }

    /** Both ways are open once the peer plays our stream and its hello came on its own. */
    private void startIfReady() {
        if (chatting || !subscribed || !helloReceived) {
            return;
        }
        chatting = true;
        deadline = Long.MAX_VALUE;
        say("* chatting with " + who() + " (peer ID " + peerId.get() + "); type a line to send it, " + QUIT
                + " to leave");
        if (ReachOptions.relayed(nc, peerId.get()).orElse(false)) {
            say("* through the server's relay: there is no direct path to " + who());
        }
        while (!unsent.isEmpty()) {
            send(unsent.remove());
        }
    }

    private void send(String line) {
        unacknowledged.removeIf(CompletableFuture::isDone);
        unacknowledged.add(subscriber.get().send(MESSAGE, line));
    }

    /** The peer's stream or its subscription ended: it left, or our server connection did. */
    private void peerLeft() throws ChatException {
        if (hungUp.get()) {
            ended = true;
        } else if (!nc.isConnected()) {
            // Losing the server closes every peer stream with it (as in Flash), and then the
            // connection reports why, with the server's own description: that ends the chat.
            return;
        } else {
            say("* " + who() + " left");
            ended = true;
        }
    }

    /** Lets the lines already sent arrive before we hang up; a peer that left gets no more time. */
    private void awaitAcknowledgements() throws InterruptedException {
        try {
            CompletableFuture.allOf(unacknowledged.toArray(CompletableFuture[]::new))
                    .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Either the peer left, which was said, or it stopped answering: nothing more to do.
        }
    }

    // ---------------------------------------------------------------- output

    private String who() {
        return peerName != null ? peerName : "peer " + peerId.get();
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
