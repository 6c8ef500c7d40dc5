package io.rtmfp4j.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.chunk.AckRanges;
import io.rtmfp4j.core.chunk.BufferProbe;
import io.rtmfp4j.core.chunk.Chunk;
import io.rtmfp4j.core.chunk.ChunkArbitraries;
import io.rtmfp4j.core.chunk.FlowException;
import io.rtmfp4j.core.chunk.NextUserData;
import io.rtmfp4j.core.chunk.SequenceRange;
import io.rtmfp4j.core.chunk.UserData;
import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.wire.Option;
import io.rtmfp4j.core.wire.Vlu;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Arbitraries;
import org.junit.jupiter.api.Test;

/**
 * A far end that speaks valid crypto but sends nonsense, or more than it may, inside an open
 * session: every case is counted or refused, the receiver's memory stays bounded, nothing
 * escapes the packet path, and the session keeps working.
 */
class FlowHostileInputTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 1935);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 50000);
    static final long SECOND = 1_000_000;
    static final List<Option> META = List.of(new Option(UserData.OPTION_METADATA, "m".getBytes()));

    /** A server that accepts every flow, and a client session whose packets the test writes by hand. */
    static final class Pair {
        final SimNetwork net = new SimNetwork(SimNetwork.seedFromEnvironment(System.nanoTime()));
        final Endpoint server;
        final Endpoint client;
        final List<ReceiveFlow> flows = new ArrayList<>();
        final List<byte[]> messages = new ArrayList<>();
        final List<RuntimeException> errors = new ArrayList<>();
        final List<byte[]> backToClient = new ArrayList<>();
        Session session;

        Pair(UnaryOperator<EndpointConfig.Builder> serverConfig) {
            server = new Endpoint(serverConfig.apply(EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(),
                    List.of(DhGroup.GROUP_2), net.newSecureRandom()))).build(), net.newSecureRandom(), null);
            server.setListener(new EndpointListener() {
                @Override
                public void onFlow(ReceiveFlow flow) {
                    flows.add(flow);
                    flow.accept((f, m) -> messages.add(m));
                }

                @Override
                public void onInternalError(RuntimeException error) {
                    errors.add(error);
                }
            });
            client = new Endpoint(EndpointConfig.builder(PeerIdentity.newStatic(Optional.empty(),
                    List.of(DhGroup.GROUP_2), net.newSecureRandom())).build(), net.newSecureRandom(), null);
            client.setListener(new EndpointListener() {
                @Override
                public void onFlow(ReceiveFlow flow) {
                    flow.accept((f, m) -> backToClient.add(m));
                }

                @Override
                public void onInternalError(RuntimeException error) {
                    errors.add(error);
                }
            });
            net.attach(SERVER, server);
            net.attach(CLIENT, client);
            client.connect(EndpointDiscriminator.forServerUri("rtmfp://10.0.0.1/app"), List.of(SERVER), net.now(),
                    new ConnectListener() {
                        @Override
                        public void onOpen(Session s) {
                            session = s;
                        }

                        @Override
                        public void onFailure(CloseReason reason) {
                            throw new AssertionError(reason);
                        }
                    });
            assertThat(net.runUntil(() -> session != null, 30 * SECOND)).isTrue();
        }

        void send(Chunk... chunks) {
            session.sendPacket(List.of(chunks), false, false, false, net.now());
            net.runFor(100_000);
        }

        Session serverSession() {
            return server.sessions().iterator().next();
        }

        /**
         * The session still carries a flow end to end. The server opens it: the hostile client
         * may have spoiled its own flow IDs, not the server's.
         */
        void assertStillWorks() {
            SendFlow f = serverSession().openFlow("still".getBytes());
            f.write(new byte[] {1, 2, 3});
            assertThat(net.runUntil(() -> !backToClient.isEmpty(), 30 * SECOND)).as("seed " + net.seed()).isTrue();
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void hugeSequenceNumbersCostNothing() {
        Pair p = new Pair(b -> b);
        p.send(new UserData(UserData.OPT, 1, 1L << 60, 0, META, new byte[100]));
        p.send(new UserData(0, 1, Long.MAX_VALUE >> 2, (Long.MAX_VALUE >> 2) - 5, List.of(), new byte[100]));
        assertThat(p.flows.get(0).bufferedBytes()).isLessThanOrEqualTo(2 * (100 + ReceiveFlow.FRAGMENT_SIZE_BIAS));
        p.assertStillWorks();
    }

    @Test
    void aSenderIgnoringTheWindowCannotGrowTheBufferBeyondItsLimit() {
        long capacity = 8_192;
        long maxMessage = 16_384;
        Pair p = new Pair(b -> b.receiveBufferCapacity(capacity).maxMessageSize(maxMessage));
        p.send(new UserData(UserData.OPT | UserData.FRA_BEGIN, 1, 1, 0, META, new byte[1000]));
        for (int sn = 2; sn < 200; sn++) {
            p.send(new UserData(UserData.FRA_MIDDLE, 1, sn, sn - 1, List.of(), new byte[1000]));
        }
        ReceiveFlow f = p.flows.get(0);
        assertThat(f.bufferedBytes()).isLessThanOrEqualTo(capacity + maxMessage);
        assertThat(p.server.stats().drops(DropReason.RECEIVE_BUFFER_FULL)).isPositive();
        p.assertStillWorks();
    }

    @Test
    void anOversizedMessageIsDiscardedAndCounted() {
        Pair p = new Pair(b -> b.receiveBufferCapacity(100_000).maxMessageSize(3_000));
        p.send(new UserData(UserData.OPT | UserData.FRA_BEGIN, 1, 1, 0, META, new byte[1000]),
                new NextUserData(UserData.FRA_MIDDLE, List.of(), new byte[1000]),
                new NextUserData(UserData.FRA_MIDDLE, List.of(), new byte[1000]),
                new NextUserData(UserData.FRA_END, List.of(), new byte[1000]),
                new NextUserData(UserData.FRA_WHOLE, List.of(), new byte[] {42}));
        assertThat(p.server.stats().drops(DropReason.MESSAGE_TOO_LARGE)).isEqualTo(1);
        assertThat(p.messages).hasSize(1);
        assertThat(p.messages.get(0)).containsExactly(42);
        p.assertStillWorks();
    }

    @Test
    void flowsWithoutMetadataOrWithUnknownMandatoryOptionsOrBadAssociationsAreRejected() {
        Pair p = new Pair(b -> b);
        p.send(new UserData(0, 1, 1, 0, List.of(), new byte[] {1}));
        p.send(new UserData(UserData.OPT, 2, 1, 0, List.of(META.get(0), new Option(0x1234, new byte[0])),
                new byte[] {1}));
        p.send(new UserData(UserData.OPT, 3, 1, 0, List.of(META.get(0),
                new Option(UserData.OPTION_RETURN_ASSOCIATION, Vlu.encode(99))), new byte[] {1}));
        p.send(new UserData(UserData.OPT, 4, 1, 0, List.of(META.get(0), new Option(0x2001, new byte[] {9})),
                new byte[] {7}));
        assertThat(p.server.stats().get(EndpointStats.Counter.FLOWS_REJECTED)).isEqualTo(3);
        assertThat(p.flows).hasSize(1);
        assertThat(p.messages).hasSize(1);
        p.assertStillWorks();
    }

    @Test
    void nextUserDataAfterTheLargestSequenceNumberIsMalformed() {
        Pair p = new Pair(b -> b);
        p.send(new UserData(UserData.OPT, 1, Long.MAX_VALUE, 0, META, new byte[] {1}),
                new NextUserData(UserData.FRA_WHOLE, List.of(), new byte[] {2}));
        assertThat(p.server.stats().drops(DropReason.MALFORMED)).isEqualTo(1);
        assertThat(p.errors).isEmpty();
    }

    @Test
    void tooManyFlowsAreDroppedUnread() {
        Pair p = new Pair(b -> b.maxReceiveFlows(10));
        for (int id = 1; id <= 20; id++) {
            p.send(new UserData(UserData.OPT, id, 1, 0, META, new byte[] {1}));
        }
        assertThat(p.flows).hasSize(10);
        assertThat(p.server.stats().drops(DropReason.TOO_MANY_FLOWS)).isEqualTo(10);
    }

    @Test
    void strayAcknowledgementsProbesAndExceptionsAreHarmless() {
        Pair p = new Pair(b -> b);
        p.send(new NextUserData(0, List.of(), new byte[] {1}),
                new AckRanges(77, 1 << 30, Long.MAX_VALUE >> 1, List.of()),
                new AckRanges(0, 0, 0, List.of(new SequenceRange(5, Long.MAX_VALUE >> 1))),
                new BufferProbe(12345), new FlowException(999, 3));
        assertThat(p.messages).isEmpty();
        p.assertStillWorks();
    }

    @Property(tries = 40)
    void randomChunksInsideASessionNeverEscape(@ForAll("chunkBatches") List<List<Chunk>> batches) {
        Pair p = new Pair(b -> b);
        for (List<Chunk> batch : batches) {
            List<Chunk> fitting = new ArrayList<>();
            int size = 5;
            for (Chunk c : batch) {
                if (size + c.encodedSize() <= 1_100) {
                    fitting.add(c);
                    size += c.encodedSize();
                }
            }
            if (!fitting.isEmpty()) {
                p.send(fitting.toArray(Chunk[]::new));
            }
        }
        if (p.session.state() == SessionState.OPEN && p.serverSession().state() == SessionState.OPEN) {
            p.assertStillWorks();
        }
        assertThat(p.errors).isEmpty();
    }

    @Provide
    Arbitrary<List<List<Chunk>>> chunkBatches() {
        Arbitrary<Chunk> flowChunks = Arbitraries.oneOf(List.of(ChunkArbitraries.userData().map(c -> (Chunk) c),
                ChunkArbitraries.nextUserData().map(c -> (Chunk) c), ChunkArbitraries.ackRanges().map(c -> (Chunk) c),
                ChunkArbitraries.ackBitmaps().map(c -> (Chunk) c), ChunkArbitraries.bufferProbes().map(c -> (Chunk) c),
                ChunkArbitraries.flowExceptions().map(c -> (Chunk) c), ChunkArbitraries.ecnReports().map(c -> (Chunk) c),
                ChunkArbitraries.pings().map(c -> (Chunk) c), ChunkArbitraries.pingReplies().map(c -> (Chunk) c)));
        return flowChunks.list().ofMaxSize(6).list().ofMaxSize(6);
    }
}
