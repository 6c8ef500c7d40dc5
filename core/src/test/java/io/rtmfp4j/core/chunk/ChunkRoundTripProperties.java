package io.rtmfp4j.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ChunkRoundTripProperties {

    @Provide
    Arbitrary<Chunk> chunks() {
        return ChunkArbitraries.chunks();
    }

    @Property(tries = 3000)
    void decodeInvertsEncode(@ForAll("chunks") Chunk chunk) {
        ByteWriter w = new ByteWriter();
        chunk.encode(w);
        byte[] bytes = w.toByteArray();
        assertThat(bytes).hasSize(chunk.encodedSize());

        ByteReader r = new ByteReader(bytes);
        int type = r.u8();
        int length = r.u16();
        assertThat(type).isEqualTo(chunk.type());
        assertThat(length).isEqualTo(r.remaining());

        Chunk decoded = ChunkCodec.decode(type, r);
        assertThat(decoded).isEqualTo(chunk).hasSameHashCodeAs(chunk).hasToString(chunk.toString());
        assertThat(r.hasRemaining()).isFalse();
    }

    @Example
    void generatorsCoverEveryChunkRecord() {
        Set<Class<?>> generated = ChunkArbitraries.chunks().sampleStream().limit(3000)
                .map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> permitted = new HashSet<>(List.of(Chunk.class.getPermittedSubclasses()));
        assertThat(generated).isEqualTo(permitted);
    }
}
