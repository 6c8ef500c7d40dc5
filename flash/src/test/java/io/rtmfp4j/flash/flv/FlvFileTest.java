package io.rtmfp4j.flash.flv;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.flash.amf.Amf;
import io.rtmfp4j.flash.amf.EcmaArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A file made by ffmpeg (see {@code README.md} next to it): two seconds of H.264 at 10 frames per
 * second with a key frame each second, and AAC audio.
 */
class FlvFileTest {

    private static byte[] testFile() throws IOException {
        try (InputStream in = FlvFileTest.class.getResourceAsStream("testsrc.flv")) {
            assertThat(in).as("test resource testsrc.flv").isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void readsEveryTagOfAnFfmpegFile() throws IOException {
        FlvReader reader = new FlvReader(new ByteArrayInputStream(testFile()));
        assertThat(reader.header()).isEqualTo(new FlvHeader(true, true));
        List<FlvTag> tags = FlvFixtures.readAll(reader);
        assertThat(reader.truncated()).isFalse();
        assertThat(reader.previousTagSizeMismatches()).isZero();
        assertThat(reader.skippedUnknownTags() + reader.skippedEncryptedTags()).isZero();

        // onMetaData first, then the codec configurations, then media.
        FlvTag metadata = tags.get(0);
        assertThat(metadata.type()).isEqualTo(FlvTag.SCRIPT_DATA);
        List<Object> values = Amf.decodeAmf0(metadata.body());
        assertThat(values.get(0)).isEqualTo("onMetaData");
        assertThat(((EcmaArray) values.get(1)).properties()).containsEntry("videocodecid", 7.0);
        assertThat(tags.get(1).isSequenceHeader()).isTrue();
        assertThat(tags.get(1).type()).isEqualTo(FlvTag.VIDEO);
        assertThat(tags.get(2).isSequenceHeader()).isTrue();
        assertThat(tags.get(2).type()).isEqualTo(FlvTag.AUDIO);
        assertThat(tags.stream().filter(FlvTag::isSequenceHeader)).hasSize(2);

        assertThat(tags).hasSize(112);
        assertThat(tags.stream().filter(t -> t.type() == FlvTag.AUDIO)).hasSize(89);
        assertThat(tags.stream().filter(t -> t.type() == FlvTag.VIDEO)).hasSize(22);
        // Key frames at 0 and 1000 ms, besides the configuration and the end-of-sequence tags.
        assertThat(tags.stream().filter(t -> t.isKeyFrame() && !t.isSequenceHeader() && t.body()[1] == 1)
                .map(FlvTag::timestamp)).containsExactly(0, 1000);
        assertThat(tags.get(tags.size() - 1).timestamp()).isBetween(1900, 2100);
    }

    @Test
    void rewritingTheFileGivesTheSameBytes() throws IOException {
        byte[] original = testFile();
        FlvReader reader = new FlvReader(new ByteArrayInputStream(original));
        assertThat(FlvFixtures.file(reader.header(), FlvFixtures.readAll(reader))).isEqualTo(original);
    }
}
