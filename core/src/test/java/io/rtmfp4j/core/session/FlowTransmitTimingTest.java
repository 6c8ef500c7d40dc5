package io.rtmfp4j.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.flow.CongestionController;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When a session transmits (spec §5.4, §5.8): what arrives is read first and answered after, so
 * datagrams handed in together are acknowledged together; one data packet alone still waits for
 * a second one or the delayed-ack timer; and a pacing wake-up that comes late makes up for the time
 * it overslept. Datagrams are moved by hand, so the test decides what arrives together.
 */
@ExtendWith(SimSeedExtension.class)
class FlowTransmitTimingTest {
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1935);
    static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 50000);
    static final byte[] META = "timing".getBytes();

    final long seed = SimNetwork.seedFromEnvironment(System.nanoTime());
    final SimNetwork randomness = new SimNetwork(seed);
    long now = 1_000_000;
    final List<byte[]> delivered = new ArrayList<>();

    private Endpoint endpoint() {
        return new Endpoint(EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2),
                randomness.newSecureRandom())).build(), randomness.newSecureRandom(), null);
    }

    private static List<Datagram> drain(Endpoint e) {
        List<Datagram> out = new ArrayList<>();
        Datagram d;
        while ((d = e.pollTransmit()) != null) {
            out.add(d);
        }
        return out;
    }

    /** Moves datagrams both ways, one millisecond per hop, running timers that are due, until {@code done}. */
    private void pump(Endpoint server, Endpoint client, BooleanSupplier done) {
        for (int i = 0; i < 10_000 && !done.getAsBoolean(); i++) {
            List<Datagram> up = drain(client);
            List<Datagram> down = drain(server);
            for (Datagram d : up) {
                server.receive(B, d.data(), 0, d.data().length, now);
            }
            for (Datagram d : down) {
                client.receive(A, d.data(), 0, d.data().length, now);
            }
            if (up.isEmpty() && down.isEmpty()) {
                now = Math.max(now + 1_000, Math.min(server.nextDeadline(), client.nextDeadline()));
            } else {
                now += 1_000;
            }
            server.onTimer(now);
            client.onTimer(now);
        }
        assertThat(done.getAsBoolean()).as("seed %d", seed).isTrue();
    }

    /** A session from a client to a server that accepts every flow, with one flow whose first message was acknowledged. */
    private SendFlow establishedFlow(Endpoint server, Endpoint client) {
        server.setListener(new EndpointListener() {
            @Override
            public void onFlow(ReceiveFlow flow) {
                flow.accept((f, message) -> delivered.add(message));
            }
        });
        SessionCatcher opened = new SessionCatcher();
        client.connect(EndpointDiscriminator.forServerUri("rtmfp://x/app"), List.of(A), now, opened);
        pump(server, client, () -> opened.session != null);
        SendFlow flow = opened.session.openFlow(META);
        WriteReceipt first = flow.write(new byte[100]);
        pump(server, client, first::isSettled);
        assertThat(first.status()).isEqualTo(WriteReceipt.Status.DELIVERED);
        // Quiet: nothing owed either way.
        pump(server, client, () -> server.nextDeadline() > now + 100_000 && client.nextDeadline() > now + 100_000);
        drain(server);
        drain(client);
        return flow;
    }

    @Test
    void datagramsReadTogetherAreAcknowledgedOnceAfterTheLastOfThem() {
        Endpoint server = endpoint();
        Endpoint client = endpoint();
        SendFlow flow = establishedFlow(server, client);
        WriteReceipt r = flow.write(new byte[3 * 1100]);
        client.onTimer(now);
        List<Datagram> burst = drain(client);
        assertThat(burst).as("one fragment per packet").hasSize(3);

        for (Datagram d : burst) {
            server.receive(B, d.data(), 0, d.data().length, now);
            // Nothing leaves while datagrams are being handed in, though two data packets oblige an ack.
            assertThat(server.pollTransmit()).isNull();
        }
        assertThat(server.nextDeadline()).as("the ack is due now").isLessThanOrEqualTo(now);
        server.onTimer(now);
        List<Datagram> acks = drain(server);
        assertThat(acks).as("one acknowledgement for the three packets").hasSize(1);

        client.receive(A, acks.get(0).data(), 0, acks.get(0).data().length, now);
        assertThat(r.status()).isEqualTo(WriteReceipt.Status.DELIVERED);
        assertThat(delivered).hasSize(2);
    }

    @Test
    void oneDataPacketWaitsForASecondOrTheDelayedAckTimer() {
        Endpoint server = endpoint();
        Endpoint client = endpoint();
        SendFlow flow = establishedFlow(server, client);

        flow.write(new byte[500]);
        client.onTimer(now);
        List<Datagram> one = drain(client);
        assertThat(one).hasSize(1);
        server.receive(B, one.get(0).data(), 0, one.get(0).data().length, now);
        assertThat(server.nextDeadline()).isEqualTo(now + SessionFlows.DELAYED_ACK);
        server.onTimer(now);
        assertThat(server.pollTransmit()).isNull();

        now += 5_000;
        flow.write(new byte[500]);
        client.onTimer(now);
        List<Datagram> two = drain(client);
        assertThat(two).hasSize(1);
        server.receive(B, two.get(0).data(), 0, two.get(0).data().length, now);
        assertThat(server.nextDeadline()).as("the second data packet makes the ack due").isLessThanOrEqualTo(now);
        server.onTimer(now);
        assertThat(drain(server)).hasSize(1);
    }

    @Test
    void aLatePacingWakeUpSendsWhatTheOversleptTimeAllows() {
        Endpoint server = endpoint();
        Endpoint client = endpoint();
        SendFlow flow = establishedFlow(server, client);
        Session session = flow.session();
        for (int i = 0; i < 300; i++) {
            flow.write(new byte[10_000]);
        }
        long mss = CongestionController.MSS;
        // 5 ms each way; what is sent during one half of a round trip arrives together at its end,
        // so the receiver acknowledges it in one ack, after which the sender may send a burst and
        // paces the rest (RTT 10 ms, over the 4.5 ms threshold).
        List<Datagram> toServer = new ArrayList<>();
        boolean paced = false;
        for (int round = 0; round < 500 && !paced; round++) {
            runClientTimers(client, now + 5_000, toServer);
            for (Datagram d : toServer) {
                server.receive(B, d.data(), 0, d.data().length, now);
            }
            toServer.clear();
            server.onTimer(now);
            List<Datagram> toClient = drain(server);
            runClientTimers(client, now + 5_000, toServer);
            for (Datagram d : toClient) {
                client.receive(A, d.data(), 0, d.data().length, now);
            }
            client.onTimer(now);
            toServer.addAll(drain(client));
            long wake = client.nextDeadline();
            paced = session.rtt().srtt() >= SessionFlows.PACING_RTT_THRESHOLD
                    && session.congestionWindow() - session.outstandingBytes() > 20 * mss
                    && wake > now && wake < now + 1_000;
        }
        assertThat(paced).as("seed %d: a paced moment with window to spare", seed).isTrue();

        long srtt = session.rtt().srtt();
        long cwnd = session.congestionWindow();
        long wake = client.nextDeadline();
        // Wake up late by the time eight segments' share of the window takes.
        long late = srtt * 8 * mss / cwnd;
        client.onTimer(wake + late);
        long sent = drain(client).stream().mapToLong(d -> d.data().length).sum();
        // One MSS for the wake-up itself plus eight for the time overslept: packets leave while
        // that allowance lasts (the last one may overrun it), not just the one a punctual
        // wake-up would have sent.
        assertThat(sent).as("seed %d", seed).isBetween(8 * mss, 10 * mss + 500);
    }

    /** Runs the client's timers up to {@code until}, collecting what it sends; the clock ends at {@code until}. */
    private void runClientTimers(Endpoint client, long until, List<Datagram> sent) {
        while (client.nextDeadline() <= until) {
            now = Math.max(now, client.nextDeadline());
            client.onTimer(now);
            sent.addAll(drain(client));
        }
        now = until;
    }
}
