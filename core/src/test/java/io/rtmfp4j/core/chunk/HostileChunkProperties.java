package io.rtmfp4j.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Chunk bodies straight from the network: decoding must never throw and must be stable. */
class HostileChunkProperties {

    @Property(tries = 5000)
    void decodeNeverThrowsAndConsumesTheBody(@ForAll @IntRange(min = 0, max = 255) int type,
            @ForAll @Size(max = 80) byte[] body) {
        ByteReader r = new ByteReader(body);
        Chunk chunk = ChunkCodec.decode(type, r);

        assertThat(chunk.type()).isEqualTo(type);
        assertThat(r.hasRemaining()).isFalse();
        assertThat(chunk.bodySize()).isLessThanOrEqualTo(body.length);
        if (chunk instanceof UnknownChunk || chunk instanceof InvalidChunk) {
            assertThat(encodeBody(chunk)).isEqualTo(body);
        }
        assertThat(ChunkCodec.decode(type, new ByteReader(encodeBody(chunk)))).isEqualTo(chunk);
    }

    private static byte[] encodeBody(Chunk chunk) {
        ByteWriter w = new ByteWriter();
        chunk.encodeBody(w);
        return w.toByteArray();
    }
}
