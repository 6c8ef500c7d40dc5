package io.rtmfp4j.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.sim.LinkConditions;
import io.rtmfp4j.core.sim.SimNetwork;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Flows (RFC 7016 §3.6) between real endpoints on a simulated network, deterministic from the seed. */
class FlowSimulationTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 1935);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 50000);
    static final long SECOND = 1_000_000;
    static final byte[] META = "test-flow".getBytes();

    /** An endpoint that accepts every flow and records what arrives. */
    static final class Host implements EndpointListener {
        final Endpoint endpoint;
        final InetSocketAddress address;
        final List<ReceiveFlow> flows = new ArrayList<>();
        final List<byte[]> messages = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<CloseReason> closed = new ArrayList<>();
        final java.util.Map<ReceiveFlow, Long> received = new java.util.HashMap<>();
        java.util.function.BiConsumer<ReceiveFlow, byte[]> onMessageHook = (f, m) -> { };
        int completed;

        Host(SimNetwork net, InetSocketAddress address, EndpointConfig config) {
            this.address = address;
            this.endpoint = new Endpoint(config, net.newSecureRandom(), null);
            endpoint.setListener(this);
            net.attach(address, endpoint);
        }

        @Override
        public void onFlow(ReceiveFlow flow) {
            flows.add(flow);
            flow.accept(new ReceiveFlowHandler() {
                @Override
                public void onMessage(ReceiveFlow f, byte[] message) {
                    messages.add(message);
                    if (messages.size() < 100_000) {
                        bytes.writeBytes(message);
                    }
                    received.merge(f, (long) message.length, Long::sum);
                    onMessageHook.accept(f, message);
                }

                @Override
                public void onComplete(ReceiveFlow f) {
                    completed++;
                }
            });
        }

        @Override
        public void onSessionClosed(Session session, CloseReason reason) {
            closed.add(reason);
        }

        @Override
        public void onInternalError(RuntimeException error) {
            throw new AssertionError("internal error escaped into the endpoint", error);
        }
    }

    final long seed = System.nanoTime();
    final SimNetwork net = new SimNetwork(seed);

    String why() {
        return "seed " + seed;
    }

    Host server() {
        return new Host(net, SERVER, EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(),
                List.of(DhGroup.GROUP_2), net.newSecureRandom())).build());
    }

    Host client() {
        return new Host(net, CLIENT, EndpointConfig.builder(PeerIdentity.newStatic(Optional.empty(), List.of(DhGroup.GROUP_2),
                net.newSecureRandom())).build());
    }

    Session open(Host client) {
        Session[] out = new Session[1];
        client.endpoint.connect(EndpointDiscriminator.forServerUri("rtmfp://10.0.0.1/app"), List.of(SERVER), net.now(),
                new ConnectListener() {
                    @Override
                    public void onOpen(Session s) {
                        out[0] = s;
                    }

                    @Override
                    public void onFailure(CloseReason reason) {
                        throw new AssertionError("open failed: " + reason);
                    }
                });
        assertThat(net.runUntil(() -> out[0] != null, 30 * SECOND)).as(why()).isTrue();
        return out[0];
    }

    static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void messagesOfEverySizeArriveWholeAndInOrder() {
        Host server = server();
        Host client = client();
        Session s = open(client);
        SendFlow flow = s.openFlow(META);
        List<byte[]> sent = List.of(new byte[0], randomBytes(1, 10), randomBytes(2, 1161), randomBytes(3, 5000),
                randomBytes(4, 200_000));
        List<WriteReceipt> receipts = new ArrayList<>();
        for (byte[] m : sent) {
            receipts.add(flow.write(m));
        }
        assertThat(net.runUntil(() -> server.messages.size() == sent.size(), 30 * SECOND)).as(why()).isTrue();
        for (int i = 0; i < sent.size(); i++) {
            assertThat(server.messages.get(i)).as(why()).isEqualTo(sent.get(i));
        }
        assertThat(server.flows).hasSize(1);
        assertThat(server.flows.get(0).metadata()).isEqualTo(META);
        assertThat(net.runUntil(() -> receipts.stream().allMatch(WriteReceipt::isSettled), 10 * SECOND)).isTrue();
        assertThat(receipts).allMatch(r -> r.status() == WriteReceipt.Status.DELIVERED);
        flow.close();
        assertThat(net.runUntil(() -> server.completed == 1 && flow.state() == SendFlow.State.COMPLETE, 10 * SECOND))
                .as(why()).isTrue();
    }

    @Test
    void tenMegabytesSurviveLossAndReordering() {
        transferUnderLoss(0.10);
    }

    @Test
    void tenMegabytesSurviveThirtyPercentLoss() {
        transferUnderLoss(0.30);
    }

    private void transferUnderLoss(double loss) {
        Host server = server();
        Host client = client();
        Session s = open(client);
        net.setDefaultConditions(new LinkConditions(10_000, 5_000, loss, 0.01));
        SendFlow flow = s.openFlow(META);
        byte[] data = randomBytes(seed, 10 << 20);
        int chunk = 64 * 1024;
        for (int off = 0; off < data.length; off += chunk) {
            flow.write(data, off, Math.min(chunk, data.length - off), WriteOptions.RELIABLE);
        }
        flow.close();
        assertThat(net.runUntil(() -> server.completed == 1, 3600 * SECOND)).as(why()).isTrue();
        assertThat(server.bytes.toByteArray()).as(why()).isEqualTo(data);
        System.out.printf("loss %.0f%%: %d s virtual, retransmissions %d%n", loss * 100, net.now() / SECOND,
                client.endpoint.stats().get(EndpointStats.Counter.DATA_RETRANSMISSIONS));
    }

    @Test
    void twoBulkFlowsOfOneSessionShareTheLinkEvenly() {
        Host server = server();
        Host client = client();
        Session s = open(client);
        net.setDefaultConditions(new LinkConditions(10_000, 2_000, 0.01, 0));
        SendFlow a = s.openFlow("a".getBytes());
        SendFlow b = s.openFlow("b".getBytes());
        byte[] block = randomBytes(seed, 16_000);
        for (int i = 0; i < 400; i++) {
            a.write(block);
            b.write(block);
        }
        assertThat(net.runUntil(() -> deliveredOn(server, "a") + deliveredOn(server, "b") >= 4_000_000, 600 * SECOND))
                .as(why()).isTrue();
        long da = deliveredOn(server, "a");
        long db = deliveredOn(server, "b");
        assertThat((double) Math.min(da, db) / Math.max(da, db)).as(why() + ": a=" + da + " b=" + db)
                .isGreaterThanOrEqualTo(0.8);
    }

    private static long deliveredOn(Host server, String metadata) {
        return server.flows.stream().filter(f -> new String(f.metadata()).equals(metadata))
                .mapToLong(f -> server.received.getOrDefault(f, 0L)).sum();
    }

    @Test
    void higherPriorityFlowGoesFirst() {
        Host server = server();
        Host client = client();
        Session s = open(client);
        SendFlow low = s.openFlow("low".getBytes(), null, 1);
        SendFlow high = s.openFlow("high".getBytes(), null, 5);
        byte[] block = randomBytes(seed, 50_000);
        low.write(block);
        high.write(block);
        List<String> order = new ArrayList<>();
        server.onMessageHook = (f, m) -> order.add(new String(f.metadata()));
        assertThat(net.runUntil(() -> order.size() == 2, 60 * SECOND)).as(why()).isTrue();
        assertThat(order).containsExactly("high", "low");
    }
}
