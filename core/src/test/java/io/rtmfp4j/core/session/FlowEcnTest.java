package io.rtmfp4j.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.sim.SimNetwork;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * ECN (spec §7.1) with a hand-driven network that carries the IP ECN field: data packets are
 * marked only while the far end reports marks, and congestion marks shrink the window like loss.
 */
class FlowEcnTest {
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1935);
    static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 50000);

    private long now = 1_000_000;
    private int dataDatagrams;
    private int markedDatagrams;

    private Endpoint endpoint(boolean ecn, long seed) {
        SimNetwork randomness = new SimNetwork(seed);
        return new Endpoint(EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2),
                randomness.newSecureRandom())).ecn(ecn).build(), randomness.newSecureRandom(), null);
    }

    /** Moves every datagram across, marking CE on every {@code ceEvery}-th ECN-capable one (0: never). */
    private void pump(Endpoint server, Endpoint client, int ceEvery, int rounds) {
        pump(server, client, ceEvery, rounds, () -> false);
    }

    private void pump(Endpoint server, Endpoint client, int ceEvery, int rounds, BooleanSupplier done) {
        for (int i = 0; i < rounds && !done.getAsBoolean(); i++) {
            boolean moved = false;
            Datagram d;
            while ((d = client.pollTransmit()) != null) {
                moved = true;
                if (d.data().length > 200) {
                    dataDatagrams++;
                    if (d.ecnCapable()) {
                        markedDatagrams++;
                    }
                }
                int ecn = !d.ecnCapable() ? Endpoint.ECN_NOT_ECT
                        : ceEvery > 0 && markedDatagrams % ceEvery == 0 ? Endpoint.ECN_CE : Endpoint.ECN_ECT0;
                server.receive(B, d.data(), 0, d.data().length, ecn, now);
            }
            while ((d = server.pollTransmit()) != null) {
                moved = true;
                client.receive(A, d.data(), 0, d.data().length, now);
            }
            if (!moved) {
                now = Math.max(now + 1_000, Math.min(server.nextDeadline(), client.nextDeadline()));
                server.onTimer(now);
                client.onTimer(now);
            } else {
                now += 1_000;
            }
        }
    }

    /** Opens a session from {@code client} to {@code server}, which accepts every flow. */
    private Session connect(Endpoint client, Endpoint server) {
        acceptAll(server);
        SessionCatcher opened = new SessionCatcher();
        client.connect(EndpointDiscriminator.forServerUri("rtmfp://x/app"), List.of(A), now, opened);
        pump(server, client, 0, 50, () -> opened.session != null);
        assertThat(opened.session).isNotNull();
        dataDatagrams = 0;
        markedDatagrams = 0;
        return opened.session;
    }

    private static void acceptAll(Endpoint server) {
        server.setListener(new EndpointListener() {
            @Override
            public void onFlow(ReceiveFlow flow) {
                flow.accept((f, m) -> { });
            }
        });
    }

    private static void writeBulk(SendFlow flow, int messages) {
        for (int i = 0; i < messages; i++) {
            flow.write(new byte[10_000]);
        }
    }

    @Test
    void marksDataWhileTheFarEndReportsAndBacksOffOnCongestionMarks() {
        Endpoint server = endpoint(true, 1);
        Endpoint client = endpoint(true, 2);
        Session s = connect(client, server);
        SendFlow flow = s.openFlow("ecn".getBytes());
        writeBulk(flow, 200);
        pump(server, client, 0, 400);
        assertThat(markedDatagrams).isEqualTo(dataDatagrams).isPositive();
        long grown = s.congestionWindow();
        int markedBefore = markedDatagrams;
        writeBulk(flow, 200);
        pump(server, client, 3, 100);
        assertThat(markedDatagrams).isGreaterThan(markedBefore + 20);
        assertThat(s.congestionWindow()).isLessThan(grown);
        assertThat(markedDatagrams).isEqualTo(dataDatagrams);
    }

    @Test
    void stopsMarkingWhenTheFarEndDoesNotReport() {
        Endpoint server = endpoint(false, 3);
        Endpoint client = endpoint(true, 4);
        Session s = connect(client, server);
        writeBulk(s.openFlow("ecn".getBytes()), 50);
        pump(server, client, 0, 400);
        assertThat(dataDatagrams).isGreaterThan(100);
        // Only what left before the first acknowledgement was marked.
        assertThat(markedDatagrams).isPositive().isLessThan(10);
    }
}
