package io.rtmfp4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.UserControl;
import io.rtmfp4j.server.auth.Authenticator;
import io.rtmfp4j.server.auth.HmacTokens;
import io.rtmfp4j.server.directory.InMemoryPeerDirectory;
import io.rtmfp4j.server.directory.Nickname;
import io.rtmfp4j.server.directory.PeerRecord;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rendezvous logic on a simulated network, with clients made of our own core and flash codecs. */
@ExtendWith(SimSeedExtension.class)
class RendezvousSimulationTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 1935);
    static final String URL = "rtmfp://10.0.0.1/live";
    static final long SECOND = 1_000_000;
    static final byte[] GROUP = Hex.decode("763f90e4b524a0e026052bb5696bd143246f26c6eb0b9fa31b0d1ed39a092620");

    final long seed = SimNetwork.seedFromEnvironment(System.nanoTime());
    final SimNetwork net = new SimNetwork(seed);
    final InMemoryPeerDirectory directory = new InMemoryPeerDirectory();
    Endpoint serverEndpoint;
    Rendezvous rendezvous;
    int nextHost = 2;

    void server(Authenticator auth) {
        EndpointConfig config = EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(),
                List.of(DhGroup.GROUP_14, DhGroup.GROUP_2), net.newSecureRandom())).build();
        serverEndpoint = new Endpoint(config, net.newSecureRandom(), net.offload(1_000));
        rendezvous = new Rendezvous(serverEndpoint, RendezvousSettings.DEFAULTS, auth, directory);
        net.attach(SERVER, serverEndpoint);
        tick();
    }

    /** The directory's record for a peer ID (the in-memory directory answers at once). */
    Optional<PeerRecord> found(String peerId) {
        return directory.find(peerId).toCompletableFuture().join();
    }

    /** Members by group ID (the groups of one process answer at once). */
    Map<String, Integer> groupSizes() {
        return rendezvous.largestGroups(Integer.MAX_VALUE).toCompletableFuture().join();
    }

    /** The runtime's once-a-second tick, in virtual time. */
    void tick() {
        net.schedule(net.now() + SECOND, () -> {
            rendezvous.onTick(net.now());
            tick();
        });
    }

    FlashTestClient client() {
        return client(FlashTestClient.config(net.newSecureRandom()));
    }

    FlashTestClient client(EndpointConfig config) {
        InetSocketAddress address = new InetSocketAddress("10.0.1." + nextHost++, 50000);
        Endpoint e = new Endpoint(config, net.newSecureRandom(), net.offload(1_000));
        net.attach(address, e);
        return new FlashTestClient(e, address);
    }

    FlashTestClient connected(Object... args) {
        FlashTestClient c = client();
        c.connect(URL, SERVER, args);
        run(c::connected);
        return c;
    }

    void run(java.util.function.BooleanSupplier until) {
        assertThat(net.runUntil(until, 10 * SECOND)).as("seed " + seed).isTrue();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> info(Command c) {
        return (Map<String, Object>) c.arguments().get(0);
    }

    @Test
    void connectSucceedsWithTheFlashInfoObjectAndSetKeepalive() {
        server(Authenticator.open());
        FlashTestClient c = connected();

        Command result = c.last("_result");
        assertThat(result.transactionId()).isEqualTo(1.0);
        assertThat(info(result)).containsEntry("level", "status").containsEntry("code", Status.CONNECT_SUCCESS)
                .containsEntry("objectEncoding", 3.0).containsEntry("connectionID", c.peerId());
        run(() -> !c.controls.isEmpty());
        assertThat(c.controls).containsExactly(new UserControl.SetKeepalive(15_000, 10_000));
        assertThat(rendezvous.stats().connectsAccepted()).isEqualTo(1);
        assertThat(found(c.peerId())).isPresent();
    }

    @Test
    void setPeerInfoAddressesAreRecordedEvenInLibrtmfpsLayout() {
        server(Authenticator.open());
        FlashTestClient c = connected();

        // librtmfp puts the first address where the null command object belongs (spec P31).
        c.send(new Command("setPeerInfo", 0, "192.168.1.10:50123", List.of("[2001:db8::5]:50123", "bogus", 7.0)));
        run(() -> found(c.peerId()).map(p -> p.reported().size() == 2).orElse(false));

        assertThat(found(c.peerId()).orElseThrow().reported()).containsExactly(
                new InetSocketAddress("192.168.1.10", 50123), new InetSocketAddress("2001:db8::5", 50123));
    }

    @Test
    void createStreamAnswersEvenWithTransactionZeroAndUnknownCommandsFail() {
        server(Authenticator.open());
        FlashTestClient c = connected();

        c.call("createStream", 2);
        c.call("createStream", 0);
        c.call("noSuchMethod", 3);
        c.call("noSuchMethodEither", 0);
        run(() -> c.commands.size() >= 5);

        List<Command> answers = c.commands.subList(1, c.commands.size());
        assertThat(answers.get(0)).isEqualTo(new Command("_result", 2, null, List.of(1.0)));
        assertThat(answers.get(1)).isEqualTo(new Command("_result", 0, null, List.of(2.0)));
        assertThat(answers.get(2).name()).isEqualTo("_error");
        assertThat(info(answers.get(2))).containsEntry("code", Status.CALL_FAILED);
        assertThat(answers.get(3).name()).isEqualTo("onStatus");
        assertThat(info(answers.get(3))).containsEntry("code", Status.CALL_FAILED);
    }

    @Test
    void malformedCommandsGetAnErrorAndTheConnectionGoesOn() {
        server(Authenticator.open());
        FlashTestClient c = connected();

        // A command message whose AMF stops in the middle of the name.
        c.control.write(new byte[] {0x14, 0, 0, 0, 0, 0x02, 0x00, 0x10, 'c', 'o'});
        c.call("createStream", 5);
        run(() -> c.last("_result") != null && c.last("_result").transactionId() == 5);

        Command error = c.last("_error");
        assertThat(info(error)).containsEntry("code", Status.CALL_BAD_VERSION);
        assertThat(rendezvous.stats().malformedMessages()).isEqualTo(1);
    }

    @Test
    void tokenAuthAcceptsTheRightTokenAndRejectsAWrongOneAndClosesTheSession() {
        byte[] secret = "s3cret".getBytes(StandardCharsets.UTF_8);
        server(new HmacTokens(List.of(secret)));

        FlashTestClient good = connected(HmacTokens.token(secret, "live", null));
        assertThat(info(good.last("_result"))).containsKey("authToken");

        FlashTestClient bad = client();
        bad.connect(URL, SERVER, "0000");
        run(() -> bad.last("_error") != null);
        assertThat(info(bad.last("_error"))).containsEntry("code", Status.CONNECT_REJECTED)
                .containsEntry("description", "auth required: bad token");
        run(() -> !bad.closed.isEmpty());
        assertThat(rendezvous.stats().connectsRejected()).isEqualTo(1);
        assertThat(found(bad.peerId())).isEmpty();
    }

    @Test
    void twoClientsAreIntroducedAndTalkDirectly() {
        server(Authenticator.open());
        FlashTestClient publisher = connected();
        FlashTestClient player = connected();

        player.connectToPeer(publisher.peerId(), SERVER);
        run(() -> !player.peerSessions.isEmpty() && !publisher.peerSessions.isEmpty());

        assertThat(player.peerSessions.get(0).farPeerId()).contains(publisher.peerId());
        assertThat(player.peerSessions.get(0).destination()).isEqualTo(publisher.address);
        assertThat(publisher.peerSessions.get(0).destination()).isEqualTo(player.address);
        assertThat(rendezvous.stats().introductions()).isPositive();
        // The direct session's packets go between the two clients, never through the server.
        assertThat(net.linkStats(publisher.address, player.address).delivered()).isPositive();
        assertThat(net.linkStats(player.address, publisher.address).delivered()).isPositive();
    }

    @Test
    void anUnknownPeerIsCountedAndLeftUnanswered() {
        server(Authenticator.open());
        FlashTestClient player = connected();

        player.connectToPeer("ab".repeat(32), SERVER);
        net.runFor(5 * SECOND);

        assertThat(player.peerSessions).isEmpty();
        assertThat(rendezvous.stats().introductionsUnknownPeer()).isPositive();
    }

    @Test
    void groupJoinReturnsMembersAndMembersLeaveOnDisconnect() {
        server(Authenticator.open());
        List<FlashTestClient> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FlashTestClient m = connected();
            m.joinGroup(GROUP);
            members.add(m);
            int expected = i;
            run(() -> m.announced.size() >= expected);
        }
        FlashTestClient last = members.get(3);
        assertThat(last.announced).containsExactlyInAnyOrder(members.get(0).peerId(), members.get(1).peerId(),
                members.get(2).peerId());
        assertThat(groupSizes()).containsEntry(Hex.encode(GROUP), 4);

        last.server.close(net.now());
        run(() -> groupSizes().getOrDefault(Hex.encode(GROUP), 0) == 3);
        assertThat(found(last.peerId())).isEmpty();
        assertThat(rendezvous.stats().groupMemberships()).isEqualTo(3);
    }

    @Test
    void aPeerThatReconnectsReplacesItsOldSessionAndRejoinsItsGroupsAfresh() {
        server(Authenticator.open());
        FlashTestClient a = connected();
        a.joinGroup(GROUP);
        EndpointConfig identity = FlashTestClient.config(net.newSecureRandom());
        FlashTestClient first = client(identity);
        first.connect(URL, SERVER);
        run(first::connected);
        first.joinGroup(GROUP);
        run(() -> first.announced.contains(a.peerId()));

        // The same identity from another address, as after a restart behind a new NAT mapping.
        FlashTestClient second = client(identity);
        second.connect(URL, SERVER);
        run(second::connected);
        second.joinGroup(GROUP);

        run(() -> second.announced.contains(a.peerId()));
        run(() -> !first.closed.isEmpty());
        assertThat(groupSizes()).containsEntry(Hex.encode(GROUP), 2);
        assertThat(found(second.peerId()).orElseThrow().observed()).isEqualTo(second.address);
    }

    @Test
    void aReplacedSessionIsToldWhyBeforeItIsClosedEvenWhenTheNoticeIsLost() {
        server(Authenticator.open());
        EndpointConfig identity = FlashTestClient.config(net.newSecureRandom());
        FlashTestClient first = client(identity);
        first.connect(URL, SERVER);
        run(() -> !first.controls.isEmpty());
        net.runFor(SECOND);
        // The server's first datagram to the old session after the replacement is lost: the notice must be resent.
        boolean[] dropped = {false};
        boolean[] armed = {false};
        net.addFilter(p -> {
            if (armed[0] && !dropped[0] && p.to().equals(first.address)) {
                dropped[0] = true;
                return true;
            }
            return false;
        });

        armed[0] = true;
        FlashTestClient second = client(identity);
        second.connect(URL, SERVER);
        run(() -> !first.closed.isEmpty());

        assertThat(dropped[0]).isTrue();
        Command notice = first.last(Command.ON_STATUS);
        assertThat(notice).isNotNull();
        assertThat(info(notice)).containsEntry("level", "status").containsEntry("code", Status.CONNECT_CLOSED)
                .containsEntry("description", "another session connected with the same peer ID");
        assertThat(first.closed).containsExactly(CloseReason.REMOTE_CLOSE);
        run(second::connected);
        assertThat(rendezvous.stats().connectedClients()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- presence

    FlashTestClient named(Object nickname) {
        FlashTestClient c = client();
        c.connectAs(nickname, URL, SERVER);
        run(() -> c.connected() || c.last(Command.ERROR) != null);
        return c;
    }

    Command answer(FlashTestClient c, double tid) {
        run(() -> c.answer(tid) != null);
        return c.answer(tid);
    }

    @Test
    void aNicknameIsEchoedAndFoundByNameAndByPeerIdInAnyCase() {
        server(Authenticator.open());
        FlashTestClient alice = named("Alice");
        FlashTestClient bob = connected();

        assertThat(info(alice.last(Command.RESULT))).containsEntry("code", Status.CONNECT_SUCCESS)
                .containsEntry("nickname", "Alice");
        assertThat(info(bob.last(Command.RESULT))).doesNotContainKey("nickname");
        bob.call("lookup", 2, "aLICE");
        bob.call("lookup", 3, alice.peerId().toUpperCase(java.util.Locale.ROOT));
        bob.call("lookup", 4, bob.peerId());

        Map<String, Object> byName = new java.util.LinkedHashMap<>();
        byName.put("peerId", alice.peerId());
        byName.put("nickname", "Alice");
        assertThat(answer(bob, 2)).isEqualTo(Command.result(2, null, byName));
        assertThat(answer(bob, 3)).isEqualTo(Command.result(3, null, byName));
        Map<String, Object> unnamed = new java.util.LinkedHashMap<>();
        unnamed.put("peerId", bob.peerId());
        unnamed.put("nickname", null);
        assertThat(answer(bob, 4)).isEqualTo(Command.result(4, null, unnamed));
        assertThat(rendezvous.stats().nicknames()).isEqualTo(1);
        assertThat(found(alice.peerId()).orElseThrow().nickname().display()).isEqualTo("Alice");
    }

    @Test
    void aLookupOfNobodyOrWithABadArgumentFails() {
        server(Authenticator.open());
        FlashTestClient c = named("carol");

        c.call("lookup", 2, "nobody");
        c.call("lookup", 3, "ab".repeat(32));
        c.call("lookup", 4, "not a name");
        c.call("lookup", 5, 7.0);
        c.call("lookup", 6);
        c.call("lookup", 0, "carol");

        assertThat(answer(c, 2)).isEqualTo(Command.error(2, null, Status.info("error", Status.LOOKUP_NOT_FOUND,
                "no peer named 'nobody' is connected")));
        assertThat(info(answer(c, 3))).containsEntry("code", Status.LOOKUP_NOT_FOUND);
        assertThat(info(answer(c, 4))).containsEntry("code", Status.LOOKUP_NOT_FOUND);
        assertThat(answer(c, 5).name()).isEqualTo(Command.ERROR);
        assertThat(info(answer(c, 5))).containsEntry("code", Status.CALL_FAILED);
        assertThat(info(answer(c, 6))).containsEntry("code", Status.CALL_FAILED);
        run(() -> c.last(Command.ON_STATUS) != null);
        assertThat(info(c.last(Command.ON_STATUS))).containsEntry("code", Status.CALL_FAILED)
                .containsEntry("description", "lookup needs a transaction ID");
        assertThat(c.commands.stream().filter(x -> x.transactionId() == 0 && x.name().equals(Command.RESULT)))
                .isEmpty();
    }

    @Test
    void aNicknameHeldByAnotherPeerIsRejectedWhateverItsCase() {
        server(Authenticator.open());
        FlashTestClient alice = named("Alice");

        FlashTestClient other = named("ALICE");

        assertThat(other.connected()).isFalse();
        assertThat(info(other.last(Command.ERROR))).containsEntry("code", Status.CONNECT_REJECTED)
                .containsEntry("description", "nickname 'ALICE' is taken");
        run(() -> !other.closed.isEmpty());
        assertThat(found(other.peerId())).isEmpty();
        assertThat(found(alice.peerId()).orElseThrow().nickname().display()).isEqualTo("Alice");
        assertThat(rendezvous.stats().connectsRejected()).isEqualTo(1);
    }

    @Test
    void invalidNicknamesAreRejectedWithTheReasonAndValidOnesOfAnyScriptAccepted() {
        server(Authenticator.open());
        List<Object> invalid = List.of("", "two words", "x".repeat(65), "a/b", "ab".repeat(32), "AB".repeat(32), 7.0,
                Map.of("nick", "x"));
        for (Object name : invalid) {
            FlashTestClient c = named(name);
            assertThat(c.connected()).as("%s", name).isFalse();
            assertThat(info(c.last(Command.ERROR))).as("%s", name).containsEntry("code", Status.CONNECT_REJECTED);
            assertThat((String) info(c.last(Command.ERROR)).get("description")).as("%s", name)
                    .startsWith("invalid nickname");
        }
        for (String name : List.of("x".repeat(64), "Zoë_2.0-ü", "日本語", "𝓐lice", "ab".repeat(31) + "ag")) {
            assertThat(named(name).connected()).as(name).isTrue();
        }
        assertThat(rendezvous.stats().nicknames()).isEqualTo(5);
    }

    @Test
    void aNicknameIsReleasedWhenItsSessionEnds() {
        server(Authenticator.open());
        FlashTestClient alice = named("Alice");
        FlashTestClient bob = connected();

        alice.server.close(net.now());
        run(() -> rendezvous.stats().nicknames() == 0);
        bob.call("lookup", 2, "alice");
        assertThat(info(answer(bob, 2))).containsEntry("code", Status.LOOKUP_NOT_FOUND);

        FlashTestClient newcomer = named("alice");
        assertThat(newcomer.connected()).isTrue();
        assertThat(directory.findByNickname(new Nickname("ALICE")).toCompletableFuture().join().orElseThrow().peerId())
                .isEqualTo(newcomer.peerId());
    }

    @Test
    void aReconnectingPeerKeepsItsNicknameAndMayChangeIt() {
        server(Authenticator.open());
        FlashTestClient bob = connected();
        EndpointConfig identity = FlashTestClient.config(net.newSecureRandom());
        FlashTestClient first = client(identity);
        first.connectAs("Alice", URL, SERVER);
        run(first::connected);

        FlashTestClient second = client(identity);
        second.connectAs("alice", URL, SERVER);
        run(second::connected);
        run(() -> !first.closed.isEmpty());

        // The old session's end does not release the name its successor holds.
        bob.call("lookup", 2, "ALICE");
        Map<String, Object> found = new java.util.LinkedHashMap<>();
        found.put("peerId", second.peerId());
        found.put("nickname", "alice");
        assertThat(answer(bob, 2)).isEqualTo(Command.result(2, null, found));
        assertThat(rendezvous.stats().nicknames()).isEqualTo(1);

        // Reconnecting under another name gives up the old one.
        FlashTestClient third = client(identity);
        third.connectAs("Alicia", URL, SERVER);
        run(third::connected);
        run(() -> !second.closed.isEmpty());
        assertThat(named("Alice").connected()).isTrue();
        assertThat(directory.findByNickname(new Nickname("alicia")).toCompletableFuture().join().orElseThrow().peerId()).isEqualTo(third.peerId());
        assertThat(rendezvous.stats().nicknames()).isEqualTo(2);
    }

    @Test
    void aSessionThatNeverConnectsIsReaped() {
        server(Authenticator.open());
        FlashTestClient idle = client();
        idle.endpoint.connect(EndpointDiscriminator.forServerUri(URL), List.of(SERVER), net.now(),
                new ConnectListener() {
                    @Override
                    public void onOpen(Session s) {
                        idle.server = s;
                    }

                    @Override
                    public void onFailure(CloseReason reason) {
                    }
                });
        run(() -> idle.server != null);

        assertThat(net.runUntil(() -> !idle.closed.isEmpty(), 40 * SECOND)).as("seed " + seed).isTrue();
        assertThat(rendezvous.stats().connectTimeouts()).isEqualTo(1);
    }
}
