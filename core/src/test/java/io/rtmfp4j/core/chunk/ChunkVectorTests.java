package io.rtmfp4j.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Option;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact byte layouts from the spec (§2.5, §2.6, §6.10, Appendix B) and decoder edge cases. */
class ChunkVectorTests {

    private static byte[] encode(Chunk chunk) {
        ByteWriter w = new ByteWriter();
        chunk.encode(w);
        return w.toByteArray();
    }

    /** Decodes a whole chunk, header included, checking the header. */
    private static Chunk decode(String hex) {
        ByteReader r = new ByteReader(Hex.decode(hex));
        int type = r.u8();
        assertThat(r.u16()).isEqualTo(r.remaining());
        return ChunkCodec.decode(type, r);
    }

    private static void assertVector(Chunk chunk, String hex) {
        assertThat(Hex.encode(encode(chunk))).isEqualTo(Hex.encode(Hex.decode(hex)));
        assertThat(decode(hex)).isEqualTo(chunk);
    }

    @Test
    void ackRangesOfAppendixB5() {
        assertVector(new AckRanges(1, 64, 5, List.of(new SequenceRange(7, 8), new SequenceRange(11, 11))),
                "51 00 07 01 40 05 00 01 01 00");
    }

    @Test
    void ackWithoutRangesFromTcserver() {
        assertVector(new AckRanges(1, 64, 1, List.of()), "51 00 03 01 40 01");
    }

    @Test
    void ackRangesIgnoreATruncatedLastPair() {
        AckRanges expected = new AckRanges(1, 64, 5, List.of(new SequenceRange(7, 8), new SequenceRange(11, 11)));
        assertThat(decode("51 00 08 01 40 05 00 01 01 00 03")).isEqualTo(expected);
        assertThat(decode("51 00 09 01 40 05 00 01 01 00 03 81")).isEqualTo(expected);
    }

    @Test
    void ackRangesMustBeAscendingAndSeparatedByAHole() {
        assertThatThrownBy(() -> new AckRanges(1, 64, 5, List.of(new SequenceRange(6, 6))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AckRanges(1, 64, 5, List.of(new SequenceRange(7, 8), new SequenceRange(9, 9))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AckRanges(1, 64, 5, List.of(new SequenceRange(11, 11), new SequenceRange(7, 8))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ackRangesBeyondTwoToTheSixtyThreeAreInvalid() {
        assertThat(decode("51 00 0d 01 40 ff ff ff ff ff ff ff ff 7f 00 00")).isInstanceOf(InvalidChunk.class);
    }

    @Test
    void ackBitmapBitsStartAtCumulativeAckPlusTwo() {
        AckBitmap ack = (AckBitmap) decode("50 00 05 01 40 05 05 80");
        assertThat(ack.receivedRanges()).containsExactly(new SequenceRange(7, 7), new SequenceRange(9, 9),
                new SequenceRange(22, 22));
        AckBitmap run = (AckBitmap) decode("50 00 05 01 40 05 0e ff");
        assertThat(run.receivedRanges()).containsExactly(new SequenceRange(8, 10), new SequenceRange(15, 22));
    }

    @Test
    void flowExceptionAndCloseOfAppendixB5() {
        assertVector(new FlowException(4, 0), "5e 00 02 04 00");
        assertVector(new SessionClose(), "0c 00 00");
        assertVector(new SessionCloseAck(), "4c 00 00");
    }

    @Test
    void trailingBytesAfterFixedLayoutsAreIgnored() {
        assertThat(decode("0c 00 01 00")).isEqualTo(new SessionClose());
        assertThat(decode("5e 00 03 04 00 ff")).isEqualTo(new FlowException(4, 0));
        assertThat(decode("ec 00 02 07 00")).isEqualTo(new EcnReport(7));
    }

    @Test
    void fiHelloFromTcserver() throws Exception {
        byte[] peerId = new byte[32];
        byte[] tag = new byte[16];
        for (int i = 0; i < 32; i++) {
            peerId[i] = (byte) (0xa0 + i);
        }
        for (int i = 0; i < 16; i++) {
            tag[i] = (byte) i;
        }
        byte[] epd = Hex.decode("21 0f " + Hex.encode(peerId));
        Address reply = new Address(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0xb943),
                Address.Origin.OBSERVED);
        assertVector(new FIHello(epd, reply, tag),
                "0f 00 3a 22 21 0f " + Hex.encode(peerId) + " 02 7f 00 00 01 b9 43 " + Hex.encode(tag));
    }

    @Test
    void iHelloOfAppendixB1() {
        byte[] epd = Hex.decode("17 0a 72746d66703a2f2f3132372e302e302e312f6c697665");
        assertVector(new IHello(epd, Hex.decode("000102030405060708090a0b0c0d0e0f")),
                "30 0029 18 170a72746d66703a2f2f3132372e302e302e312f6c697665 000102030405060708090a0b0c0d0e0f");
    }

    @Test
    void connectUserDataOfSection6_10() {
        byte[] message = Hex.decode("14 00 00 00 00  02 0007 636f6e6e656374  00 3ff0000000000000"
                + "  03 0003 617070 02 0004 6c697665 000009");
        UserData connect = new UserData(UserData.OPT | UserData.FRA_WHOLE, 1, 1, 1,
                List.of(new Option(UserData.OPTION_METADATA, Hex.decode("54 43 04 00"))), message);
        assertVector(connect, "10 00 33  80  01 01 01  05 00 54 43 04 00  00 " + Hex.encode(message));
        assertThat(connect.forwardSequenceNumber()).isZero();
    }

    @Test
    void serverControlFlowOptionsOfSection6_10() {
        UserData answer = (UserData) decode("10 00 0e 80 02 01 01 05 00 54 43 04 00 02 0a 01 00");
        assertThat(answer.options()).containsExactly(new Option(UserData.OPTION_METADATA, Hex.decode("54 43 04 00")),
                new Option(UserData.OPTION_RETURN_ASSOCIATION, Hex.decode("01")));
        assertThat(answer.data()).isEmpty();
    }

    @Test
    void userDataWithFsnOffsetAboveSequenceNumberIsInvalid() {
        assertThat(decode("10 00 04 00 01 01 02")).isInstanceOf(InvalidChunk.class);
    }

    @Test
    void userDataWithOptWithoutMarkerIsInvalid() {
        InvalidChunk invalid = (InvalidChunk) decode("10 00 06 80 01 01 00 01 0a");
        assertThat(invalid.body()).isEqualTo(Hex.decode("80 01 01 00 01 0a"));
        assertThat(invalid.reason()).contains("marker");
    }

    @Test
    void finalEmptyFragmentIsAbandonedAndFinal() {
        UserData last = new UserData(UserData.ABN | UserData.FIN, 3, 9, 0, List.of(), new byte[0]);
        assertVector(last, "10 00 04 03 03 09 00");
        assertThat(last.abandoned()).isTrue();
        assertThat(last.finalSequence()).isTrue();
    }

    @Test
    void optionsRequireOpt() {
        assertThatThrownBy(() -> new NextUserData(0, List.of(new Option(0, new byte[0])), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertVector(new NextUserData(UserData.OPT | UserData.FRA_END, List.of(), Hex.decode("aa")), "11 00 03 a0 00 aa");
    }

    @Test
    void iiKeyingLayoutAndTruncation() {
        IIKeying keying = new IIKeying(Hex.decode("01 00 00 00"), Hex.decode("c0 c1"), Hex.decode("ce"),
                Hex.decode("5a 5b 5c"), Hex.decode("58"));
        assertVector(keying, "38 00 0e 01000000 02 c0c1 01 ce 03 5a5b5c 58");
        assertThat(decode("38 00 03 01 00 00")).isInstanceOf(InvalidChunk.class);
    }

    @Test
    void typesWithoutARecordStayUnknown() {
        assertThat(decode("4d 00 02 01 02")).isEqualTo(new UnknownChunk(0x4d, Hex.decode("01 02")));
        assertThat(decode("cc 00 00")).isEqualTo(new UnknownChunk(0xcc, new byte[0]));
        assertThatThrownBy(() -> new UnknownChunk(ChunkType.PING, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bodyLongerThanTheLengthFieldIsRefused() {
        assertThatThrownBy(() -> encode(new Ping(new byte[0x10000]))).isInstanceOf(IllegalStateException.class);
        assertThat(encode(new Ping(new byte[0xffff]))).hasSize(3 + 0xffff);
    }
}
