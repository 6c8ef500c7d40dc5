package io.rtmfp4j.flash.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.tc.TcMessage;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Tag records: validation, the key frame and codec configuration tests, the TC message mapping. */
class FlvTagTest {

    private static FlvTag video(String body) {
        return new FlvTag(FlvTag.VIDEO, 0, Hex.decode(body));
    }

    private static FlvTag audio(String body) {
        return new FlvTag(FlvTag.AUDIO, 0, Hex.decode(body));
    }

    @Example
    void invalidFieldsAreRejected() {
        assertThatThrownBy(() -> new FlvTag(10, 0, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlvTag(0x28, 0, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlvTag(FlvTag.VIDEO, 0, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new FlvTag(FlvTag.VIDEO, 0, new byte[FlvTag.MAX_BODY_SIZE + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new FlvTag(FlvTag.VIDEO, 0, new byte[FlvTag.MAX_BODY_SIZE]).body()).hasSize(0xffffff);
    }

    @Example
    void keyFramesAreVideoFrameType1() {
        assertThat(video("17 01 000000").isKeyFrame()).isTrue();      // AVC key frame
        assertThat(video("17 00 000000").isKeyFrame()).isTrue();      // AVC configuration, marked key
        assertThat(video("12 00").isKeyFrame()).isTrue();             // Sorenson H.263 key frame
        assertThat(video("27 01 000000").isKeyFrame()).isFalse();     // inter frame
        assertThat(video("37 01").isKeyFrame()).isFalse();            // disposable inter frame
        assertThat(video("57 00").isKeyFrame()).isFalse();            // video info / command frame
        assertThat(video("").isKeyFrame()).isFalse();
        assertThat(audio("17 01").isKeyFrame()).isFalse();            // same byte, not video
        assertThat(video("91 68766331").isKeyFrame()).isTrue();       // Enhanced RTMP: key, CodedFrames, hvc1
        assertThat(video("a1 68766331").isKeyFrame()).isFalse();      // Enhanced RTMP: inter frame
    }

    @Example
    void sequenceHeadersAreCodecConfigurations() {
        assertThat(video("17 00 000000 01640014").isSequenceHeader()).isTrue();   // AVCDecoderConfigurationRecord
        assertThat(video("1c 00 000000 01").isSequenceHeader()).isTrue();         // HEVC under codec ID 12
        assertThat(video("17 01 000000").isSequenceHeader()).isFalse();           // AVC NAL units
        assertThat(video("17 02 000000").isSequenceHeader()).isFalse();           // AVC end of sequence
        assertThat(video("12 00").isSequenceHeader()).isFalse();                  // H.263 has no configuration
        assertThat(video("17").isSequenceHeader()).isFalse();                     // too short to tell
        assertThat(video("90 68766331 01").isSequenceHeader()).isTrue();          // Enhanced RTMP SequenceStart
        assertThat(video("91 68766331").isSequenceHeader()).isFalse();            // Enhanced RTMP CodedFrames
        assertThat(audio("af 00 1210").isSequenceHeader()).isTrue();              // AAC AudioSpecificConfig
        assertThat(audio("af 01 2100").isSequenceHeader()).isFalse();             // AAC raw frame
        assertThat(audio("2f 00").isSequenceHeader()).isFalse();                  // MP3 has no configuration
        assertThat(audio("af").isSequenceHeader()).isFalse();
        assertThat(audio("90 4f707573").isSequenceHeader()).isTrue();             // Enhanced RTMP audio SequenceStart, Opus
        assertThat(audio("91 4f707573").isSequenceHeader()).isFalse();
        assertThat(new FlvTag(FlvTag.SCRIPT_DATA, 0, Hex.decode("00 00")).isSequenceHeader()).isFalse();
        assertThat(video("").isSequenceHeader()).isFalse();
    }

    @Provide
    Arbitrary<FlvTag> tags() {
        return FlvFixtures.tags();
    }

    @Property
    void tcMessagesCarryTheTagUnchanged(@ForAll("tags") FlvTag tag) {
        TcMessage message = tag.toMessage();
        assertThat(message.type()).isEqualTo(tag.type());
        assertThat(message.timestamp()).isEqualTo(tag.timestamp() & 0xffff_ffffL);
        assertThat(message.payload()).isSameAs(tag.body());
        assertThat(FlvTag.fromMessage(TcMessage.decode(message.encode()))).contains(tag);
    }

    @Example
    void extendedTimestampsBecomeUnsignedMessageTimestamps() {
        FlvTag tag = new FlvTag(FlvTag.VIDEO, 0x9a34_5678, Hex.decode("27"));
        assertThat(tag.toMessage().encode()).isEqualTo(Hex.decode("09 9a345678 27"));
    }

    @Example
    void amf3DataMessagesLoseTheirFormatByte() {
        TcMessage data = new TcMessage(TcMessage.DATA_AMF3, 7, Hex.decode("00 02000a6f6e4d65746144617461"));
        assertThat(FlvTag.fromMessage(data))
                .contains(new FlvTag(FlvTag.SCRIPT_DATA, 7, Hex.decode("02000a6f6e4d65746144617461")));
        assertThat(FlvTag.fromMessage(new TcMessage(TcMessage.DATA_AMF3, 7, Hex.decode("01 0500")))).isEmpty();
        assertThat(FlvTag.fromMessage(new TcMessage(TcMessage.DATA_AMF3, 7, new byte[0]))).isEmpty();
    }

    @Example
    void messagesThatAreNotMediaHaveNoTag() {
        assertThat(FlvTag.fromMessage(new TcMessage(TcMessage.COMMAND_AMF0, 0, Hex.decode("05")))).isEmpty();
        assertThat(FlvTag.fromMessage(new TcMessage(TcMessage.USER_CONTROL, 0, Hex.decode("0000 00000001")))).isEmpty();
        assertThat(FlvTag.fromMessage(new TcMessage(TcMessage.AGGREGATE, 0, new byte[0]))).isEmpty();
        assertThat(FlvTag.fromMessage(new TcMessage(TcMessage.VIDEO, 0, new byte[FlvTag.MAX_BODY_SIZE + 1]))).isEmpty();
    }

    @Example
    void equalityLooksAtTheBody() {
        FlvTag a = new FlvTag(FlvTag.AUDIO, -1, Hex.decode("af01"));
        FlvTag b = new FlvTag(FlvTag.AUDIO, -1, Hex.decode("af01"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).hasToString("FlvTag[type=8, timestamp=4294967295, body=2 bytes af01]");
        assertThat(a).isNotEqualTo(new FlvTag(FlvTag.AUDIO, -1, Hex.decode("af00")));
        assertThat(a).isNotEqualTo(new FlvTag(FlvTag.AUDIO, 0, Hex.decode("af01")));
        assertThat(new FlvTag(FlvTag.VIDEO, 0, new byte[40]).toString()).endsWith("...]");
    }
}
