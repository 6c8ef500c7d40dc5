package io.rtmfp4j.core.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.chunk.IHello;
import io.rtmfp4j.core.chunk.Ping;
import io.rtmfp4j.core.chunk.SessionClose;
import io.rtmfp4j.core.chunk.UnknownChunk;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketTests {

    private static Packet decode(String hex) {
        byte[] bytes = Hex.decode(hex);
        return Packet.decode(bytes, 0, bytes.length);
    }

    private static String encode(Packet packet) {
        ByteWriter w = new ByteWriter();
        packet.encode(w);
        return Hex.encode(w.toByteArray());
    }

    @Test
    void iHelloPacketOfAppendixB1() {
        String packet = "0b 1234 30 0029 18 170a72746d66703a2f2f3132372e302e302e312f6c697665 000102030405060708090a0b0c0d0e0f";
        Packet p = decode(packet + " ffffffffffffffffffffffffffffff");
        assertThat(p.mode()).isEqualTo(PacketMode.STARTUP);
        assertThat(p.timestamp()).isEqualTo(0x1234);
        assertThat(p.hasTimestampEcho()).isFalse();
        assertThat(p.chunks()).singleElement().isInstanceOf(IHello.class);
        assertThat(encode(p)).isEqualTo(Hex.encode(Hex.decode(packet)));
        assertThat(p.encodedSize()).isEqualTo(47);
    }

    @Test
    void keepalivePacketOfAppendixB3() {
        Packet p = decode("89 1234 01 0000 ffffffffffffffffff");
        assertThat(p).isEqualTo(new Packet(true, false, PacketMode.INITIATOR, 0x1234, Packet.NO_TIMESTAMP,
                List.of(new Ping(new byte[0]))));
        assertThat(encode(p)).isEqualTo("891234010000");
    }

    @Test
    void flagsFollowFromTheFields() {
        assertThat(new Packet(false, true, PacketMode.RESPONDER, 1, 2, List.of()).flags()).isEqualTo(0x4e);
        assertThat(new Packet(false, false, PacketMode.RESPONDER, Packet.NO_TIMESTAMP, Packet.NO_TIMESTAMP, List.of())
                .flags()).isEqualTo(0x02);
        assertThat(decode("86 0001")).isEqualTo(new Packet(true, false, PacketMode.RESPONDER, Packet.NO_TIMESTAMP, 1, List.of()));
    }

    @Test
    void reservedBitsAreIgnored() {
        assertThat(decode("3b 1234 0c 0000")).isEqualTo(decode("0b 1234 0c 0000"));
    }

    @Test
    void modeZeroIsMalformed() {
        assertThatThrownBy(() -> decode("08 1234")).isInstanceOf(WireFormatException.class);
    }

    @Test
    void truncatedHeaderIsMalformed() {
        assertThatThrownBy(() -> decode("")).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> decode("0b 12")).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> decode("0f 1234 56")).isInstanceOf(WireFormatException.class);
    }

    @Test
    void paddingChunksAreSkippedAndOverrunsEndTheChunks() {
        Packet close = new Packet(false, false, PacketMode.RESPONDER, Packet.NO_TIMESTAMP, Packet.NO_TIMESTAMP,
                List.of(new SessionClose()));
        assertThat(decode("02 00 0002 aaaa 0c 0000")).isEqualTo(close);
        assertThat(decode("02 0c 0000 01 0005 aa")).isEqualTo(close);
        assertThat(decode("02 0c 0000 ff 0000 0c 0000")).isEqualTo(close);
        assertThat(decode("02 0c 0000 4c 00")).isEqualTo(close);
    }

    @Test
    void decodesASliceOfALargerBuffer() {
        byte[] buf = Hex.decode("ee ee 0a 0001 0c 0000 ee");
        assertThat(Packet.decode(buf, 2, 6)).isEqualTo(
                new Packet(false, false, PacketMode.RESPONDER, 1, Packet.NO_TIMESTAMP, List.of(new SessionClose())));
    }

    @Test
    void paddingIsNotPacketContent() {
        assertThatThrownBy(() -> new Packet(false, false, PacketMode.STARTUP, 0, Packet.NO_TIMESTAMP,
                List.of(new UnknownChunk(0xff, new byte[0])))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Packet(false, false, PacketMode.STARTUP, 0x10000, Packet.NO_TIMESTAMP, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
