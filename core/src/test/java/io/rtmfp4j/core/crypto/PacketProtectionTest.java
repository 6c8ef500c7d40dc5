package io.rtmfp4j.core.crypto;

import static io.rtmfp4j.core.crypto.TestVectors.B2_SECRET;
import static io.rtmfp4j.core.crypto.TestVectors.B2_SKIC;
import static io.rtmfp4j.core.crypto.TestVectors.B2_SKRC;
import static io.rtmfp4j.core.crypto.TestVectors.concat;
import static io.rtmfp4j.core.crypto.TestVectors.hex;
import static io.rtmfp4j.core.crypto.TestVectors.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.WireFormatException;
import org.junit.jupiter.api.Test;

class PacketProtectionTest {
    static final byte[] B1_PACKET = hex("0b 1234 30 0029 18 170a72746d66703a2f2f3132372e302e302e312f6c697665"
            + "000102030405060708090a0b0c0d0e0f");
    static final byte[] B1_CIPHERTEXT = hex("fca1018c270bc190845400349bb57e0234ae6c716251f54c00e515266043d338"
            + "7dc835e5adbe5201c828d04e9e1a2fd96e51c0ccb2da72160965fcdfa80d6aae");
    static final byte[] B1_DATAGRAM = concat(hex("dbaac01c"), B1_CIPHERTEXT);

    static final byte[] B3_PING = hex("89 1234 01 0000");
    static final byte[] B3_DATAGRAM = hex("d91b9c51 570367d88c18fb89ad1c4dc5e6e1b19a 5d845f72ffb347e9dd1b");

    @Test
    void appendixB1SealsTheIHelloDatagram() {
        assertThat(B1_PACKET).hasSize(47);
        PacketProtection p = PacketProtection.startup();
        assertThat(p.seal(0, B1_PACKET, 0, B1_PACKET.length)).isEqualTo(B1_DATAGRAM);
        // A second packet gets the same bytes: no IV or state carries over between packets.
        assertThat(p.seal(0, B1_PACKET, 0, B1_PACKET.length)).isEqualTo(B1_DATAGRAM);
        // Another SSID changes only the scrambled prefix.
        byte[] to2 = p.seal(0x02000000, B1_PACKET, 0, B1_PACKET.length);
        assertThat(to2).startsWith(hex("d9aac01c")).endsWith(B1_CIPHERTEXT);
        // From an offset inside a larger array.
        byte[] framed = concat(hex("eeee"), B1_PACKET, hex("ee"));
        assertThat(p.seal(0, framed, 2, B1_PACKET.length)).isEqualTo(B1_DATAGRAM);
    }

    @Test
    void appendixB1Opens() {
        PacketProtection p = PacketProtection.startup();
        assertThat(PacketProtection.unscrambleSsid(B1_DATAGRAM, 0, B1_DATAGRAM.length)).isZero();
        assertThat(p.open(B1_DATAGRAM, 0, B1_DATAGRAM.length)).isEqualTo(concat(B1_PACKET, repeat(0xff, 15)));
        byte[] framed = concat(hex("00"), B1_DATAGRAM, hex("00 00"));
        assertThat(PacketProtection.unscrambleSsid(framed, 1, B1_DATAGRAM.length)).isZero();
        assertThat(p.open(framed, 1, B1_DATAGRAM.length)).startsWith(B1_PACKET);
    }

    @Test
    void appendixB3SseqAndHmac() {
        SessionKeys initiator = SessionKeys.derive(B2_SECRET, B2_SKIC, B2_SKRC);
        SessionKeys responder = SessionKeys.derive(B2_SECRET, B2_SKRC, B2_SKIC);
        PacketProtection tx = PacketProtection.forSession(
                new SessionSecurity(initiator, 10, 16, true, true, DhGroup.GROUP_2));
        byte[] d = tx.seal(0x02000000, B3_PING, 0, B3_PING.length);
        assertThat(d).isEqualTo(B3_DATAGRAM);
        assertThat(tx.sentSequence()).isEqualTo(1);

        PacketProtection rx = PacketProtection.forSession(
                new SessionSecurity(responder, 16, 10, true, true, DhGroup.GROUP_2));
        assertThat(PacketProtection.unscrambleSsid(d, 0, d.length)).isEqualTo(0x02000000);
        // The cleartext has no checksum: after SSEQ 00 comes the packet and its padding.
        assertThat(rx.open(d, 0, d.length)).isEqualTo(concat(B3_PING, repeat(0xff, 9)));
        assertThatThrownBy(() -> rx.open(d, 0, d.length)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("replayed");
    }

    @Test
    void sealInPlaceAndOpenViewGiveTheVectorsBytes() {
        // The packet where a session encodes it, room around it taken by stray bytes: checksum mode.
        PacketProtection p = PacketProtection.startup();
        byte[] framed = concat(repeat(0xee, PacketProtection.PREFIX_ROOM), B1_PACKET,
                repeat(0xee, PacketProtection.PADDING_ROOM));
        assertThat(p.sealInPlace(0, framed, PacketProtection.PREFIX_ROOM, B1_PACKET.length)).isEqualTo(B1_DATAGRAM);
        assertThatThrownBy(() -> p.sealInPlace(0, framed, PacketProtection.PREFIX_ROOM - 1, B1_PACKET.length))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> p.sealInPlace(0, framed, PacketProtection.PREFIX_ROOM, B1_PACKET.length + 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(p.openView(B1_DATAGRAM, 0, B1_DATAGRAM.length).rest())
                .isEqualTo(concat(B1_PACKET, repeat(0xff, 15)));

        // SSEQ and HMAC: the sequence number goes before the packet, no checksum.
        SessionKeys initiator = SessionKeys.derive(B2_SECRET, B2_SKIC, B2_SKRC);
        PacketProtection tx = PacketProtection.forSession(
                new SessionSecurity(initiator, 10, 16, true, true, DhGroup.GROUP_2));
        byte[] ping = concat(repeat(0xee, PacketProtection.PREFIX_ROOM), B3_PING,
                repeat(0xee, PacketProtection.PADDING_ROOM));
        assertThat(tx.sealInPlace(0x02000000, ping, PacketProtection.PREFIX_ROOM, B3_PING.length))
                .isEqualTo(B3_DATAGRAM);
    }

    @Test
    void rejectsShortOrMisalignedDatagrams() {
        PacketProtection p = PacketProtection.startup();
        assertThatThrownBy(() -> PacketProtection.unscrambleSsid(new byte[19], 0, 19)).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> p.open(new byte[4], 0, 4)).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> p.open(new byte[21], 0, 21)).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> p.open(B1_DATAGRAM, 0, B1_DATAGRAM.length - 1)).isInstanceOf(WireFormatException.class);
        // Whole blocks of garbage fail the checksum (with overwhelming probability; fixed here).
        assertThatThrownBy(() -> p.open(new byte[36], 0, 36)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void emptyPacketAndBlockAlignment() {
        PacketProtection p = PacketProtection.startup();
        assertThat(p.seal(0, new byte[0], 0, 0)).hasSize(20);
        assertThat(p.open(p.seal(0, new byte[0], 0, 0), 0, 20)).isEqualTo(repeat(0xff, 14));
        // 14 bytes of packet plus the checksum fill one block exactly: no padding.
        assertThat(p.seal(0, new byte[14], 0, 14)).hasSize(20);
        assertThat(p.seal(0, new byte[15], 0, 15)).hasSize(36);
        assertThat(p.open(p.seal(0, new byte[14], 0, 14), 0, 20)).isEqualTo(new byte[14]);
    }
}
