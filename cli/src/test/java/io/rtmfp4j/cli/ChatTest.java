package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.server.RendezvousServer;
import io.rtmfp4j.server.ServerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code rtmfp chat} conversations in this process, through a real rendezvous server on loopback. */
class ChatTest {
    /** A bound for a hung test on a loaded machine, not a timing. */
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Pattern PEER_ID = Pattern.compile("^\\* connected .* peer ID ([0-9a-f]{64})$");

    RendezvousServer server;
    final List<Running> chats = new ArrayList<>();

    @BeforeEach
    void startServer() {
        server = RendezvousServer.start(ServerConfig.of(EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(),
                List.of(DhGroup.GROUP_2), new SecureRandom())).build(), List.of(new InetSocketAddress("127.0.0.1", 0)))
                .withCryptoThreads(1));
    }

    @AfterEach
    void stop() throws Exception {
        for (Running c : chats) {
            c.stop();
        }
        server.close();
    }

    String url() {
        return "rtmfp://127.0.0.1:" + server.localAddresses().get(0).getPort() + "/chat";
    }

    /** A chat on its own thread, typed into and read as through a terminal. */
    final class Running {
        final PipedWriter keyboard = new PipedWriter();
        final Lines out = new Lines();
        final Lines err = new Lines();
        final Chat chat;
        final CompletableFuture<Integer> exit = new CompletableFuture<>();

        Running(String url, String name, String to, Duration timeout) throws IOException {
            this(new Chat.Settings(url, name, Optional.ofNullable(to), timeout));
        }

        Running(Chat.Settings settings) throws IOException {
            BufferedReader in = new BufferedReader(new PipedReader(keyboard));
            chat = new Chat(settings, in, new PrintWriter(out), new PrintWriter(err));
            String name = settings.name();
            Thread t = new Thread(() -> exit.complete(chat.run()), "chat-" + name);
            t.start();
            chats.add(this);
        }

        void type(String line) throws IOException {
            keyboard.write(line + "\n");
            keyboard.flush();
        }

        String peerId() throws InterruptedException {
            return out.group(PEER_ID, WAIT);
        }

        int exitCode() throws Exception {
            return exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        void stop() throws Exception {
            keyboard.close();
            chat.hangUp();
            exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    Running chat(String name, String to) throws IOException {
        return new Running(url(), name, to, WAIT);
    }

    /** Alice waits, Bob calls her by peer ID; both report the chat started. */
    Running[] pair() throws Exception {
        Running alice = chat("alice", null);
        Running bob = chat("bob", alice.peerId());
        String bobId = bob.peerId();
        String aliceId = alice.peerId();
        assertThat(alice.out.await("* chatting with", WAIT)).isEqualTo("* chatting with bob (peer ID " + bobId
                + "); type a line to send it, /quit to leave");
        assertThat(bob.out.await("* chatting with", WAIT)).startsWith("* chatting with alice (peer ID " + aliceId + ")");
        return new Running[] {alice, bob};
    }

    @Test
    void linesArriveInOrderBothWaysAndQuitEndsTheChatOnBothSides() throws Exception {
        Running alice = chat("alice", null);
        alice.peerId();
        Running bob = chat("bob", "alice");
        // Typed before the chat starts: held, then sent first.
        bob.type("hi, are you there?");
        alice.out.await("* chatting with bob", WAIT);
        assertThat(bob.out.await("* calling", WAIT)).isEqualTo("* calling alice...");
        assertThat(bob.out.await("* chatting with", WAIT)).startsWith("* chatting with alice (peer ID " + alice.peerId()
                + ")");
        for (int i = 0; i < 30; i++) {
            alice.type("a" + i);
            bob.type("b" + i);
        }

        List<String> atAlice = alice.out.await(l -> l.startsWith("bob: "), 31, WAIT);
        List<String> atBob = bob.out.await(l -> l.startsWith("alice: "), 30, WAIT);
        assertThat(atAlice.get(0)).isEqualTo("bob: hi, are you there?");
        assertThat(atAlice.subList(1, 31)).containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> "bob: b" + i).toList());
        assertThat(atBob).containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> "alice: a" + i).toList());

        bob.type("/quit");
        assertThat(bob.exitCode()).isZero();
        alice.out.await("* bob left", WAIT);
        assertThat(alice.exitCode()).isZero();
        assertThat(alice.err.all()).isEmpty();
        assertThat(bob.err.all()).isEmpty();
    }

    @Test
    void theEndOfInputLeavesCleanlyAfterTheLastLineArrives() throws Exception {
        Running[] pair = pair();
        pair[0].type("bye for now");
        pair[0].keyboard.close();

        assertThat(pair[0].exitCode()).isZero();
        assertThat(pair[1].out.await(l -> l.startsWith("alice: ") || l.startsWith("* alice left"), 2, WAIT))
                .containsExactly("alice: bye for now", "* alice left");
        assertThat(pair[1].exitCode()).isZero();
    }

    @Test
    void aPeerCannotWriteControlCharactersToTheTerminal() throws Exception {
        Running[] pair = pair();
        pair[1].type("\u001b[2Jgotcha\u202e");

        assertThat(pair[0].out.await("bob: ", WAIT)).isEqualTo("bob: \uFFFD[2Jgotcha\uFFFD");
    }

    @Test
    void aThirdPeerIsRefusedWhileTheChatIsOn() throws Exception {
        Running[] pair = pair();

        Running carol = chat("carol", "alice");
        Running dave = chat("dave", pair[0].peerId());

        assertThat(carol.exitCode()).isEqualTo(1);
        assertThat(carol.err.all()).containsExactly("rtmfp chat: alice refused the chat");
        assertThat(dave.exitCode()).isEqualTo(1);
        assertThat(dave.err.all()).containsExactly("rtmfp chat: peer " + pair[0].peerId() + " refused the chat");
        pair[0].out.await("* refused peer " + carol.peerId() + ": already chatting with bob", WAIT);
        // The chat goes on.
        pair[0].type("still here");
        pair[1].out.await("alice: still here", WAIT);
    }

    @Test
    void anUnknownNameIsReported() throws Exception {
        Running lonely = chat("lonely", "nobody");

        assertThat(lonely.exitCode()).isEqualTo(1);
        assertThat(lonely.err.all()).containsExactly("rtmfp chat: no peer named 'nobody' is connected");
    }

    @Test
    void aNameInUseIsRefusedByTheServer() throws Exception {
        Running alice = chat("alice", null);
        alice.peerId();

        Running impostor = chat("Alice", null);

        assertThat(impostor.exitCode()).isEqualTo(1);
        assertThat(impostor.err.all()).containsExactly("rtmfp chat: the server at " + url()
                + " refused the connection: nickname 'Alice' is taken");
    }

    @Test
    void losingTheServerEndsTheChatWithExitOne() throws Exception {
        Running[] pair = pair();

        server.close();

        // The side that hears of it first closes its peer session, as Flash does; the other may
        // see that before its own server session ends, and then reports the peer gone.
        int lost = 0;
        for (Running side : pair) {
            int exit = side.exitCode();
            List<String> err = side.err.all();
            if (exit == 1) {
                lost++;
                assertThat(err).hasSize(1);
                assertThat(err.get(0)).startsWith("rtmfp chat: lost the connection to the server: ");
                assertThat(side.out.all()).noneMatch(l -> l.endsWith(" left"));
            } else {
                assertThat(exit).isZero();
                assertThat(err).isEmpty();
                assertThat(side.out.all()).anyMatch(l -> l.equals("* alice left") || l.equals("* bob left"));
            }
        }
        assertThat(lost).as("sides that report the server lost").isPositive();
    }

    @Test
    void aPeerIdNobodyHasIsReportedAfterTheTimeout() throws Exception {
        String nobody = PeerIdentity.newFlashClient(new SecureRandom()).certificate().peerId();

        // The deadline is the peer's alone: the server, on a loaded machine, may take its time.
        Running lonely = new Running(new Chat.Settings(url(), "lonely", Optional.of(nobody), WAIT, Duration.ofSeconds(1)));

        assertThat(lonely.exitCode()).isEqualTo(1);
        assertThat(lonely.err.all()).containsExactly("rtmfp chat: peer " + nobody + " did not answer within 1 s");
    }

    @Test
    void anUnreachableServerIsReportedWithExitOne() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String nowhere = "rtmfp://127.0.0.1:" + port + "/chat";

        Running alone = new Running(nowhere, "alone", null, Duration.ofSeconds(1));

        assertThat(alone.exitCode()).isEqualTo(1);
        assertThat(alone.err.all()).containsExactly("rtmfp chat: no answer from the server at " + nowhere
                + " within 1 s");
    }

    @Test
    void misuseIsAUsageErrorWithExitTwo() {
        assertThat(usage("--server", "http://127.0.0.1/chat", "--name", "alice"))
                .contains("--server: expected an rtmfp:// URI");
        assertThat(usage("--server", "rtmfp://127.0.0.1/chat", "--name", "a".repeat(64)))
                .contains("--name: invalid nickname: 64 hex digits would read as a peer ID");
        assertThat(usage("--server", "rtmfp://127.0.0.1/chat", "--name", "al\u001bice"))
                .contains("--name: invalid nickname: 1 to 64 letters, digits");
        assertThat(usage("--server", "rtmfp://127.0.0.1/chat", "--name", "alice", "--to", " "))
                .contains("--to needs a name or a peer ID");
    }

    /** Runs {@code rtmfp chat ARGS}, expects exit 2, returns what it printed on the error output. */
    private static String usage(String... args) {
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Rtmfp.commandLine();
        cl.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("chat"));
        all.addAll(List.of(args));
        assertThat(cl.execute(all.toArray(String[]::new))).as(err.toString()).isEqualTo(2);
        return err.toString();
    }
}
