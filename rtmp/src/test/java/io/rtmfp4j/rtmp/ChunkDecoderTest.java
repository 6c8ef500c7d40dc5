package io.rtmfp4j.rtmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.tc.TcMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ChunkDecoder} on bytes written by hand from RTMP specification 1.0, §5.3, not by our encoder. */
class ChunkDecoderTest {
    private final ChunkDecoder decoder = new ChunkDecoder(1 << 20, 2 << 20);

    private List<RtmpMessage> decode(String hex) {
        byte[] bytes = Hex.decode(hex.replace(" ", ""));
        return decoder.decode(bytes, 0, bytes.length);
    }

    @Test
    void typeTwoAndThreeHeadersAddTheirDeltaAsInTheSpecificationsAudioExample() {
        // §5.3.2.1: type 0 at 1000, then type 2 with delta 20, then type 3 twice: 1000, 1020, 1040, 1060.
        List<RtmpMessage> got = decode("03 0003e8 000002 08 01000000 aaaa"
                + " 83 000014 bbbb"
                + " c3 cccc"
                + " c3 dddd");
        assertThat(got).extracting(m -> m.message().timestamp()).containsExactly(1000L, 1020L, 1040L, 1060L);
        assertThat(got).allSatisfy(m -> {
            assertThat(m.streamId()).isEqualTo(1);
            assertThat(m.message().type()).isEqualTo(TcMessage.AUDIO);
        });
        assertThat(got.get(3).message().payload()).containsExactly(0xdd, 0xdd);
    }

    @Test
    void aTypeThreeHeaderAfterTypeZeroTakesItsTimestampAsTheDelta() {
        assertThat(decode("04 000064 000001 09 00000000 01 c4 02")).extracting(m -> m.message().timestamp())
                .containsExactly(100L, 200L);
    }

    @Test
    void aMessageLongerThanTheChunkSizeContinuesInTypeThreeChunksAndTheChunkSizeCanChange() {
        // 130 bytes at chunk size 128: one continuation chunk of 2. Then Set Chunk Size 200 and 130 bytes in one chunk.
        String payload = "11".repeat(128);
        List<RtmpMessage> got = decode("05 000000 000082 14 00000000 " + payload + " c5 2222"
                + " 02 000000 000004 01 00000000 000000c8"
                + " 45 000000 000082 14 " + "33".repeat(130));
        assertThat(got).hasSize(2);
        assertThat(got.get(0).message().payload()).hasSize(130).endsWith(0x22, 0x22);
        assertThat(got.get(1).message().payload()).hasSize(130).containsOnly(0x33);
        assertThat(decoder.chunkSize()).isEqualTo(200);
    }

    @Test
    void extendedTimestampsAreReadInTheHeaderAndRepeatedInContinuationChunks() {
        decoder.decode(new byte[] {2, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0, 1}, 0, 16);
        // Chunk size 1: a 2-byte message is a type 0 chunk and a type 3 chunk, both with the extended timestamp.
        List<RtmpMessage> got = decode("06 ffffff 000002 08 01000000 12345678 aa c6 12345678 bb");
        assertThat(got).hasSize(1);
        assertThat(got.get(0).message().timestamp()).isEqualTo(0x12345678L);
        assertThat(got.get(0).message().payload()).containsExactly(0xaa, 0xbb);
    }

    @Test
    void twoAndThreeByteBasicHeadersNameChunkStreamsFrom64On() {
        List<RtmpMessage> got = decode("00 00 000000 000001 08 00000000 01 01 0001 000000 000001 08 00000000 02");
        assertThat(got).hasSize(2);
        assertThat(got).extracting(m -> m.message().payload()[0]).containsExactly((byte) 1, (byte) 2);
    }

    @Test
    void abortDropsThePartialMessageOfItsChunkStream() {
        List<RtmpMessage> got = decode("03 000000 0000c8 08 00000000 " + "11".repeat(128)
                + " 02 000000 000004 02 00000000 00000003"
                + " 03 000000 000001 08 00000000 77");
        assertThat(got).hasSize(1);
        assertThat(got.get(0).message().payload()).containsExactly(0x77);
        assertThat(decoder.buffered()).isZero();
    }

    @Test
    void aChunkStreamCannotStartWithACompressedHeader() {
        assertThatThrownBy(() -> decode("43 000000 000001 08 00"))
                .isInstanceOf(RtmpException.class).hasMessageContaining("chunk stream 3 starts with a type 1 header");
    }

    @Test
    void aNewHeaderCannotCutAMessageShort() {
        assertThatThrownBy(() -> decode("03 000000 0000c8 08 00000000 " + "11".repeat(128) + " 03 000000 000001 08 00000000 77"))
                .isInstanceOf(RtmpException.class).hasMessageContaining("before its message of 200 bytes ended");
    }

    @Test
    void aChunkSizeOfZeroOrWithTheTopBitIsRefused() {
        assertThatThrownBy(() -> decode("02 000000 000004 01 00000000 00000000"))
                .isInstanceOf(RtmpException.class).hasMessageContaining("chunk size 0");
        assertThatThrownBy(() -> new ChunkDecoder(1024, 4096).decode(Hex.decode("020000000000040100000000" + "80000000"), 0, 16))
                .isInstanceOf(RtmpException.class).hasMessageContaining("outside 1 to");
    }

    @Test
    void aDeclaredLengthIsNotAllocatedBeforeItsBytesArrive() {
        ChunkDecoder big = new ChunkDecoder(8 << 20, 16 << 20);
        byte[] header = Hex.decode("03000000" + "7fffff" + "09" + "00000000" + "01");
        big.decode(header, 0, header.length);
        assertThat(big.buffered()).isLessThanOrEqualTo(4096);
    }

    @Test
    void tooManyPartialMessagesTogetherAreRefused() {
        ChunkDecoder small = new ChunkDecoder(100_000, 100_000);
        StringBuilder hex = new StringBuilder();
        // Chunk streams 3 to 30, each a message of 90,000 bytes started with one chunk of 128 bytes.
        for (int csid = 3; csid < 30; csid++) {
            hex.append(String.format("%02x", csid)).append("000000 015f90 09 00000000").append("00".repeat(128));
        }
        byte[] bytes = Hex.decode(hex.toString().replace(" ", ""));
        assertThatThrownBy(() -> small.decode(bytes, 0, bytes.length))
                .isInstanceOf(RtmpException.class).hasMessageContaining("would hold more than 100000 bytes");
    }
}
