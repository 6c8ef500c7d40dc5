package io.rtmfp4j.core.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.chunk.ChunkArbitraries;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class PacketProperties {

    @Provide
    Arbitrary<Packet> packets() {
        return ChunkArbitraries.packets();
    }

    @Property(tries = 2000)
    void decodeInvertsEncode(@ForAll("packets") Packet packet) {
        ByteWriter w = new ByteWriter();
        packet.encode(w);
        assertThat(w.size()).isEqualTo(packet.encodedSize());
        assertThat(Packet.decode(w.array(), 0, w.size())).isEqualTo(packet);
    }

    @Property(tries = 2000)
    void trailingPaddingIsIgnored(@ForAll("packets") Packet packet, @ForAll @Size(max = 15) List<Boolean> padding) {
        ByteWriter w = new ByteWriter();
        packet.encode(w);
        padding.forEach(ignored -> w.u8(0xff));
        assertThat(Packet.decode(w.array(), 0, w.size())).isEqualTo(packet);
    }

    @Property(tries = 5000)
    void randomBytesDecodeOrFailCleanly(@ForAll @Size(max = 120) byte[] datagram) {
        assertDecodesStablyOrRejects(datagram);
    }

    /** Plausible framing around random chunk bodies, so the chunk decoders see hostile input too. */
    @Provide
    Arbitrary<byte[]> framedGarbage() {
        Arbitrary<byte[]> chunk = Combinators.combine(Arbitraries.integers().between(0, 255),
                ChunkArbitraries.bytes(40), Arbitraries.integers().between(-2, 2))
                .as((type, body, lengthSkew) -> {
                    ByteWriter w = new ByteWriter();
                    w.u8(type).u16(Math.max(0, body.length + lengthSkew)).bytes(body);
                    return w.toByteArray();
                });
        return Combinators.combine(Arbitraries.integers().between(0, 255), chunk.list().ofMaxSize(6))
                .as((flags, chunks) -> {
                    ByteWriter w = new ByteWriter();
                    w.u8(flags).u16(0x1234).u16(0x5678);
                    chunks.forEach(w::bytes);
                    return w.toByteArray();
                });
    }

    @Property(tries = 5000)
    void framedGarbageDecodesOrFailsCleanly(@ForAll("framedGarbage") byte[] datagram) {
        assertDecodesStablyOrRejects(datagram);
    }

    private static void assertDecodesStablyOrRejects(byte[] datagram) {
        Packet packet;
        try {
            packet = Packet.decode(datagram, 0, datagram.length);
        } catch (WireFormatException expected) {
            return;
        }
        ByteWriter w = new ByteWriter();
        packet.encode(w);
        assertThat(w.size()).isLessThanOrEqualTo(datagram.length);
        assertThat(Packet.decode(w.array(), 0, w.size())).isEqualTo(packet);
    }
}
