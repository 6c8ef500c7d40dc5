package io.rtmfp4j.rtmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.flash.tc.TcMessage;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The chunk stream: whatever the messages, chunk sizes and chunk streams, and however TCP splits
 * the bytes, {@link ChunkDecoder} returns what {@link ChunkEncoder} wrote; and any bytes at all
 * either decode or raise {@link RtmpException}, holding no more than they brought.
 */
class ChunkStreamProperties {
    /** One message to send, on a chunk stream, possibly after a change of chunk size. */
    record Send(int csid, RtmpMessage message, int newChunkSize) {
    }

    @Provide
    Arbitrary<List<Send>> sends() {
        // Chunk stream IDs of each basic header length (1, 2 and 3 bytes); timestamps around the extended boundary.
        Arbitrary<Integer> csid = Arbitraries.of(2, 3, 4, 63, 64, 319, 320, 65599);
        Arbitrary<Long> stream = Arbitraries.of(0L, 1L, 0xffff_ffffL);
        Arbitrary<Integer> type = Arbitraries.of(TcMessage.AUDIO, TcMessage.VIDEO, TcMessage.DATA_AMF0,
                TcMessage.COMMAND_AMF0, 0x03);
        Arbitrary<Long> timestamp = Arbitraries.oneOf(Arbitraries.longs().between(0, 5000),
                Arbitraries.longs().between(0xff_fff0L, 0x100_0010L), Arbitraries.longs().between(0, 0xffff_ffffL));
        // Sizes repeat often so that type 2 and 3 headers occur.
        Arbitrary<Integer> size = Arbitraries.oneOf(Arbitraries.of(0, 1, 100, 128, 129, 4096),
                Arbitraries.integers().between(0, 3000));
        Arbitrary<Integer> chunkSize = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.of(1, 7, 128, 4096, 60000));
        Arbitrary<Send> send = Combinators.combine(csid, stream, type, timestamp, size, chunkSize,
                Arbitraries.integers().between(0, 255)).as((c, s, t, ts, n, cs, fill) -> {
                    byte[] payload = new byte[n];
                    for (int i = 0; i < n; i++) {
                        payload[i] = (byte) (fill + i);
                    }
                    return new Send(c, new RtmpMessage(s, new TcMessage(t, ts, payload)), cs);
                });
        return send.list().ofMaxSize(25);
    }

    @Property(tries = 400)
    void anySplitOfTheBytesYieldsTheMessagesWritten(@ForAll("sends") List<Send> sends,
            @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 700) Integer> cuts) {
        ChunkEncoder encoder = new ChunkEncoder();
        ByteWriter out = new ByteWriter();
        List<RtmpMessage> expected = new ArrayList<>();
        for (Send s : sends) {
            if (s.newChunkSize() > 0) {
                encoder.encode(ProtocolControl.CHUNK_STREAM, ProtocolControl.setChunkSize(s.newChunkSize()), out);
                encoder.setChunkSize(s.newChunkSize());
            }
            encoder.encode(s.csid(), s.message(), out);
            expected.add(s.message());
        }
        byte[] bytes = out.toByteArray();
        ChunkDecoder decoder = new ChunkDecoder(RtmpSession.MAX_MESSAGE_SIZE, RtmpSession.MAX_BUFFERED);
        List<RtmpMessage> got = new ArrayList<>();
        int at = 0;
        for (int cut : cuts) {
            int n = Math.min(cut, bytes.length - at);
            got.addAll(decoder.decode(bytes, at, n));
            at += n;
        }
        got.addAll(decoder.decode(bytes, at, bytes.length - at));
        assertThat(got).isEqualTo(expected);
        assertThat(decoder.buffered()).isZero();
    }

    @Property(tries = 3000)
    void anyBytesDecodeOrAreRefusedHoldingNoMoreThanTheyBrought(@ForAll @Size(max = 600) byte[] bytes,
            @ForAll @IntRange(min = 1, max = 64) int piece) {
        ChunkDecoder decoder = new ChunkDecoder(1 << 20, 2 << 20);
        try {
            for (int at = 0; at < bytes.length; at += piece) {
                decoder.decode(bytes, at, Math.min(piece, bytes.length - at));
                // A buffer starts at 4 KiB and at most doubles what it holds: never the length a header declares.
                assertThat(decoder.buffered()).isLessThanOrEqualTo(4096 * ChunkDecoder.MAX_CHUNK_STREAMS
                        + 2 * (at + piece));
            }
        } catch (RtmpException refused) {
            assertThat(refused).hasMessageNotContaining("null");
        }
    }

    @Property(tries = 200)
    void aMessageLongerThanTheBoundIsRefusedAtItsHeader(@ForAll @IntRange(min = 1025, max = 0xff_ffff) int length) {
        ByteWriter header = new ByteWriter().u8(3).u8(0).u16(0).u8(length >>> 16).u16(length).u8(TcMessage.VIDEO).u32(0);
        ChunkDecoder decoder = new ChunkDecoder(1024, 4096);
        assertThatThrownBy(() -> decoder.decode(header.toByteArray(), 0, header.size()))
                .isInstanceOf(RtmpException.class).hasMessageContaining("exceeds the 1024 accepted");
    }
}
