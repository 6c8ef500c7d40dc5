package io.rtmfp4j.core.session;

import static io.rtmfp4j.core.session.HandshakeSimulationTest.CLIENT;
import static io.rtmfp4j.core.session.HandshakeSimulationTest.SECOND;
import static io.rtmfp4j.core.session.HandshakeSimulationTest.SERVER;
import static io.rtmfp4j.core.session.HandshakeSimulationTest.URI;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.HandshakeSimulationTest.Host;
import io.rtmfp4j.core.session.HandshakeSimulationTest.Outcome;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Handshakes whose Diffie-Hellman work finishes late and out of order, as on a machine starved of
 * CPU: the keying worker runs seconds after the packet that asked for it, and a later job can
 * finish before an earlier one. Each job's delay is scripted, so every run is the same.
 */
@ExtendWith(SimSeedExtension.class)
class LateKeyingSimulationTest {
    final long seed = SimNetwork.seedFromEnvironment(System.nanoTime());
    final SimNetwork net = new SimNetwork(seed);

    /** A crypto worker whose n-th job comes back after the n-th scripted delay (then at once). */
    final class ScriptedWorker implements CryptoOffload {
        final Deque<Long> delays = new ArrayDeque<>();

        ScriptedWorker(long... delays) {
            for (long d : delays) {
                this.delays.add(d);
            }
        }

        @Override
        public void execute(Runnable work) {
            work.run();
        }

        @Override
        public void runOnLoop(LongConsumer task) {
            long delay = delays.isEmpty() ? 0 : delays.removeFirst();
            net.schedule(net.now() + delay, () -> task.accept(net.now()));
        }
    }

    Host server(ScriptedWorker worker) {
        return new Host(net, SERVER, EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(),
                List.of(DhGroup.GROUP_2), net.newSecureRandom())).build(), worker);
    }

    /** A client that gives up opening after {@code seconds}, as clients with a deadline of their own do. */
    Host client(long seconds, ScriptedWorker worker) {
        return new Host(net, CLIENT, EndpointConfig.builder(PeerIdentity.newFlashClient(net.newSecureRandom()))
                .openTimeout(Duration.ofSeconds(seconds)).build(), worker);
    }

    Outcome connect(Host client) {
        Outcome o = new Outcome();
        client.endpoint.connect(EndpointDiscriminator.forServerUri(URI), List.of(SERVER), net.now(), o);
        net.flushAll();
        return o;
    }

    String why() {
        return "seed " + seed;
    }

    @Test
    void anInitiatorWhoseKeyingIsStillComputingAtItsDeadlineFinishesItInsteadOfGivingUp() {
        Host server = server(new ScriptedWorker());
        // The client's second job, the agreement with the RIKeying's key, takes 3.5 s: the
        // RIKeying is in hand about 50 ms after the start, the deadline comes at 3 s.
        Host client = client(3, new ScriptedWorker(0, 3_500_000));

        Outcome o = connect(client);

        assertThat(net.runUntil(o::done, 10 * SECOND)).as(why()).isTrue();
        assertThat(o.failure).as(why()).isNull();
        assertThat(o.session.state()).isEqualTo(SessionState.OPEN);
        // The server's session, opened when it sent the RIKeying, is the client's: it answers.
        assertThat(server.opened).hasSize(1);
        assertThat(o.session.farSessionId()).isEqualTo(server.opened.get(0).nearSessionId());
        o.session.ping(net.now());
        assertThat(net.runUntil(() -> !client.pingReplies.isEmpty(), SECOND)).as(why()).isTrue();
    }

    @Test
    void aKeyingThatFinishesAfterThatOfTheInitiatorsNextAttemptDoesNotReplaceIt() {
        // The first IIKeying's agreement takes 10 s, the second attempt's 100 ms: the second
        // session opens, then the first one's keying completes.
        Host server = server(new ScriptedWorker(10_000_000, 100_000));
        Host client = client(3, new ScriptedWorker());
        Outcome first = connect(client);
        assertThat(net.runUntil(first::done, 10 * SECOND)).as(why()).isTrue();
        assertThat(first.failure).as("the client gave up first").isEqualTo(CloseReason.OPEN_TIMEOUT);

        Outcome second = connect(client);
        assertThat(net.runUntil(second::done, 10 * SECOND)).as(why()).isTrue();
        assertThat(second.session).as(why()).isNotNull();
        net.runFor(15 * SECOND);

        // The late completion of the abandoned attempt must not close the session in use (RFC 7425
        // §4.3.7 lets a newer IIKeying replace a session, not an older one).
        assertThat(second.session.state()).as(why()).isEqualTo(SessionState.OPEN);
        assertThat(client.closed).as(why()).isEmpty();
        assertThat(server.closed).as(why()).isEmpty();
        assertThat(server.endpoint.sessions()).as(why()).containsExactly(server.opened.get(0));
        assertThat(server.endpoint.stats().drops(DropReason.STALE_IIKEYING)).isEqualTo(1);
        second.session.ping(net.now());
        assertThat(net.runUntil(() -> !client.pingReplies.isEmpty(), SECOND)).as(why()).isTrue();
    }

    @Test
    void aNewerAttemptFromTheSameInitiatorStillReplacesAnOlderOpenSession() {
        Host server = server(new ScriptedWorker());
        Host client = client(10, new ScriptedWorker());
        Outcome first = connect(client);
        assertThat(net.runUntil(first::done, 10 * SECOND)).as(why()).isTrue();
        // The client forgets its session without a word (a restart with the same identity and port).
        first.session.abort(net.now(), CloseReason.LOCAL_CLOSE);
        net.addFilter(p -> p.to().equals(SERVER) && p.startupChunkType() < 0 && server.opened.size() == 1);
        net.runFor(SECOND);

        Outcome second = connect(client);

        assertThat(net.runUntil(second::done, 10 * SECOND)).as(why()).isTrue();
        assertThat(second.session).as(why()).isNotNull();
        assertThat(server.closed).containsExactly(CloseReason.SUPERSEDED);
        assertThat(server.endpoint.sessions()).containsExactly(server.opened.get(1));
    }
}
