package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.packet.Packet;
import io.rtmfp4j.core.packet.PacketMode;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.Option;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Reusable generators for wire structures, chunks and packets. */
public final class ChunkArbitraries {
    private ChunkArbitraries() {
    }

    public static Arbitrary<byte[]> bytes(int maxSize) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
    }

    public static Arbitrary<byte[]> exactBytes(int size) {
        return Arbitraries.bytes().array(byte[].class).ofSize(size);
    }

    /** Any VLU value, biased towards the small ones that dominate real traffic. */
    public static Arbitrary<Long> vlus() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 300)),
                Tuple.of(1, Arbitraries.longs().between(0, Long.MAX_VALUE)));
    }

    public static Arbitrary<Option> options() {
        return Combinators.combine(vlus(), bytes(20)).as(Option::new);
    }

    public static Arbitrary<List<Option>> optionLists() {
        return options().list().ofMaxSize(4);
    }

    public static Arbitrary<Address> addresses() {
        Arbitrary<InetAddress> v4 = exactBytes(4).map(ChunkArbitraries::inet);
        Arbitrary<InetAddress> v6 = exactBytes(16).map(ChunkArbitraries::inet);
        return Combinators.combine(Arbitraries.oneOf(v4, v6), Arbitraries.integers().between(0, 0xffff),
                Arbitraries.of(Address.Origin.class))
                .as((ip, port, origin) -> new Address(new InetSocketAddress(ip, port), origin));
    }

    private static InetAddress inet(byte[] raw) {
        try {
            return raw.length == 16 ? Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Arbitrary<byte[]> sessionIds() {
        return exactBytes(4);
    }

    public static Arbitrary<IHello> iHellos() {
        return Combinators.combine(bytes(40), bytes(20)).as(IHello::new);
    }

    public static Arbitrary<FIHello> fiHellos() {
        return Combinators.combine(bytes(40), addresses(), bytes(20)).as(FIHello::new);
    }

    public static Arbitrary<RHello> rHellos() {
        return Combinators.combine(bytes(20), bytes(70), bytes(40)).as(RHello::new);
    }

    public static Arbitrary<Redirect> redirects() {
        return Combinators.combine(bytes(20), addresses().list().ofMaxSize(4)).as(Redirect::new);
    }

    public static Arbitrary<CookieChange> cookieChanges() {
        return Combinators.combine(bytes(70), bytes(70)).as(CookieChange::new);
    }

    public static Arbitrary<IIKeying> iiKeyings() {
        return Combinators.combine(sessionIds(), bytes(70), bytes(140), bytes(80), bytes(4)).as(IIKeying::new);
    }

    public static Arbitrary<RIKeying> riKeyings() {
        return Combinators.combine(sessionIds(), bytes(140), bytes(4)).as(RIKeying::new);
    }

    public static Arbitrary<Ping> pings() {
        return bytes(40).map(Ping::new);
    }

    public static Arbitrary<PingReply> pingReplies() {
        return bytes(40).map(PingReply::new);
    }

    private static Arbitrary<Integer> flagBytes() {
        return Arbitraries.integers().between(0, 0xff);
    }

    /** OPT is forced on when options were drawn, and options dropped when OPT is off. */
    private static int withOpt(int flags, List<Option> options) {
        return options.isEmpty() ? flags : flags | UserData.OPT;
    }

    private static List<Option> optionsFor(int flags, List<Option> options) {
        return (flags & UserData.OPT) != 0 ? options : List.of();
    }

    public static Arbitrary<UserData> userData() {
        Arbitrary<long[]> seqAndOffset = vlus().flatMap(
                seq -> Arbitraries.longs().between(0, seq).map(offset -> new long[] {seq, offset}));
        return Combinators.combine(flagBytes(), vlus(), seqAndOffset, optionLists(), bytes(60))
                .as((f, flowId, so, opts, data) -> {
                    int flags = withOpt(f, opts);
                    return new UserData(flags, flowId, so[0], so[1], optionsFor(flags, opts), data);
                });
    }

    public static Arbitrary<NextUserData> nextUserData() {
        return Combinators.combine(flagBytes(), optionLists(), bytes(60)).as((f, opts, data) -> {
            int flags = withOpt(f, opts);
            return new NextUserData(flags, optionsFor(flags, opts), data);
        });
    }

    public static Arbitrary<AckRanges> ackRanges() {
        Arbitrary<long[]> gapAndLength = Combinators.combine(
                Arbitraries.longs().between(0, 1L << 40), Arbitraries.longs().between(0, 1L << 40))
                .as((gap, length) -> new long[] {gap, length});
        return Combinators.combine(vlus(), vlus(), Arbitraries.longs().between(0, 1L << 60),
                gapAndLength.list().ofMaxSize(8))
                .as((flowId, buffer, cumulativeAck, pairs) -> {
                    List<SequenceRange> ranges = new ArrayList<>();
                    long previousTo = cumulativeAck;
                    for (long[] p : pairs) {
                        long from = previousTo + 2 + p[0];
                        previousTo = from + p[1];
                        ranges.add(new SequenceRange(from, previousTo));
                    }
                    return new AckRanges(flowId, buffer, cumulativeAck, ranges);
                });
    }

    public static Arbitrary<AckBitmap> ackBitmaps() {
        return Combinators.combine(vlus(), vlus(), Arbitraries.longs().between(0, Long.MAX_VALUE - 1 - 8 * 16),
                bytes(16)).as(AckBitmap::new);
    }

    public static Arbitrary<BufferProbe> bufferProbes() {
        return vlus().map(BufferProbe::new);
    }

    public static Arbitrary<FlowException> flowExceptions() {
        return Combinators.combine(vlus(), vlus()).as(FlowException::new);
    }

    public static Arbitrary<PacketFragment> packetFragments() {
        return Combinators.combine(flagBytes(), vlus(), vlus(), bytes(60)).as(PacketFragment::new);
    }

    public static Arbitrary<EcnReport> ecnReports() {
        return Arbitraries.integers().between(0, 0xff).map(EcnReport::new);
    }

    /** Types with no record of their own, excluding the padding types a packet cannot hold. */
    public static Arbitrary<UnknownChunk> unknownChunks() {
        Arbitrary<Integer> types = Arbitraries.integers().between(1, 0xfe).filter(t -> !ChunkType.isKnown(t));
        return Combinators.combine(types, bytes(30)).as(UnknownChunk::new);
    }

    /** Types whose decoding can fail: those with more structure than "bytes to the end". */
    private static final List<Integer> STRUCTURED_TYPES = List.of(ChunkType.IHELLO, ChunkType.FIHELLO,
            ChunkType.RHELLO, ChunkType.REDIRECT, ChunkType.COOKIE_CHANGE, ChunkType.IIKEYING, ChunkType.RIKEYING,
            ChunkType.USER_DATA, ChunkType.NEXT_USER_DATA, ChunkType.ACK_RANGES, ChunkType.ACK_BITMAP,
            ChunkType.BUFFER_PROBE, ChunkType.FLOW_EXCEPTION, ChunkType.PACKET_FRAGMENT, ChunkType.ECN_REPORT);

    /** Invalid chunks as the codec makes them: short random bodies that fail to decode. */
    public static Arbitrary<InvalidChunk> invalidChunks() {
        return Combinators.combine(Arbitraries.of(STRUCTURED_TYPES), bytes(12))
                .as((type, body) -> ChunkCodec.decode(type, new ByteReader(body)))
                .filter(c -> c instanceof InvalidChunk)
                .map(c -> (InvalidChunk) c);
    }

    /** Every kind of chunk, each record type about equally often. */
    public static Arbitrary<Chunk> chunks() {
        return Arbitraries.oneOf(List.of(iHellos(), fiHellos(), rHellos(), redirects(), cookieChanges(), iiKeyings(),
                riKeyings(), pings(), pingReplies(), userData(), nextUserData(), ackRanges(), ackBitmaps(),
                bufferProbes(), flowExceptions(), Arbitraries.just(new SessionClose()),
                Arbitraries.just(new SessionCloseAck()), packetFragments(), ecnReports(), unknownChunks(),
                invalidChunks()));
    }

    private static Arbitrary<Integer> timestamps() {
        return Arbitraries.oneOf(Arbitraries.just(Packet.NO_TIMESTAMP), Arbitraries.integers().between(0, 0xffff));
    }

    public static Arbitrary<Packet> packets() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(PacketMode.class), timestamps(), timestamps(), chunks().list().ofMaxSize(6))
                .as(Packet::new);
    }
}
