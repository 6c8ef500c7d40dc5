package io.rtmfp4j.flash.tc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.amf.EcmaArray;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Data messages (spec §6.3, §6.6). */
class DataMessageTest {

    @Test
    void rtmpSampleAccess() {
        DataMessage access = DataMessage.of("|RtmpSampleAccess", true, true);
        String hex = "12 00000000 02 0011 7c52746d7053616d706c65416363657373 01 01 01 01";
        assertThat(access.toMessage().encode()).isEqualTo(Hex.decode(hex));
        assertThat(DataMessage.decode(TcMessage.decode(Hex.decode(hex)))).isEqualTo(access);
    }

    @Test
    void encodeGivesTheBytesOfTheMessage() {
        byte[] chunk = new byte[40_000];
        new Random(7).nextBytes(chunk);
        DataMessage bulk = DataMessage.of("chunk", 65536.0, chunk);
        // Strings and nested values beyond the room kept for them make the buffer grow.
        DataMessage wordy = DataMessage.of("x".repeat(300), Map.of("k", "v".repeat(500)), new byte[0], null);
        for (DataMessage m : List.of(bulk, wordy, DataMessage.of("|RtmpSampleAccess", true, true))) {
            ByteWriter out = m.encode();
            assertThat(Arrays.copyOf(out.array(), out.size())).isEqualTo(m.toMessage().encode());
            assertThat(DataMessage.decode(TcMessage.decode(Arrays.copyOf(out.array(), out.size())))
                    .values().get(0)).isEqualTo(m.values().get(0));
        }
    }

    @Test
    void setDataFrameWithMetadataAtAStreamTime() {
        DataMessage metadata = DataMessage.of("@setDataFrame", "onMetaData", new EcmaArray(Map.of("width", 640.0)));
        TcMessage message = metadata.toMessage(1234);
        assertThat(message.type()).isEqualTo(TcMessage.DATA_AMF0);
        assertThat(message.timestamp()).isEqualTo(1234);
        assertThat(DataMessage.decode(message)).isEqualTo(metadata);
    }

    @Test
    void amf3DataHasAFormatByte() {
        TcMessage message = new TcMessage(TcMessage.DATA_AMF3, 7, Hex.decode("00 02 0001 61 11 04 01"));
        assertThat(DataMessage.decode(message)).isEqualTo(new DataMessage(List.of("a", 1)));
        assertThatThrownBy(() -> DataMessage.decode(new TcMessage(TcMessage.DATA_AMF3, 0, Hex.decode("02 05"))))
                .isInstanceOf(AmfException.class);
        assertThatThrownBy(() -> DataMessage.decode(new TcMessage(TcMessage.COMMAND_AMF0, 0, Hex.decode("05"))))
                .isInstanceOf(AmfException.class);
    }

    @Test
    void emptyDataIsNoValues() {
        assertThat(DataMessage.decode(new TcMessage(TcMessage.DATA_AMF0, 0, new byte[0])).values()).isEmpty();
    }
}
