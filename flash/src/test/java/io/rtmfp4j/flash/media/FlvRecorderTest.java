package io.rtmfp4j.flash.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.flash.amf.Amf;
import io.rtmfp4j.flash.flv.FlvHeader;
import io.rtmfp4j.flash.flv.FlvReader;
import io.rtmfp4j.flash.flv.FlvTag;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.DataMessage;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlvRecorderTest {
    private static final byte[] AAC_FRAME = {(byte) 0xaf, 1, 0x21, 0x10};
    private static final byte[] AVC_KEY_FRAME = {0x17, 1, 0, 0, 0, 0x65};

    private static List<FlvTag> tags(byte[] flv) throws IOException {
        List<FlvTag> tags = new ArrayList<>();
        try (FlvReader reader = new FlvReader(new ByteArrayInputStream(flv))) {
            for (var tag = reader.next(); tag.isPresent(); tag = reader.next()) {
                tags.add(tag.get());
            }
        }
        return tags;
    }

    private static NetStatus status(String level, String code) {
        return NetStatus.of(level, code, code);
    }

    @Test
    void writesMediaAndDataAsTagsAndLeavesOutTheStreamsOwnMessages() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FlvRecorder recorder = FlvRecorder.to(bytes);
        Map<String, Object> meta = Map.of("duration", 2.0);
        recorder.onMessage(DataMessage.of("|RtmpSampleAccess", true, true).toMessage());
        recorder.onMessage(DataMessage.of("@setDataFrame", "onMetaData", meta).toMessage());
        recorder.onMessage(new TcMessage(TcMessage.AUDIO, 0, AAC_FRAME));
        recorder.onMessage(new TcMessage(TcMessage.VIDEO, 40, AVC_KEY_FRAME));
        // An AMF3 data message: format byte 0, then AMF0.
        byte[] amf0 = Amf.encodeAmf0("onCuePoint", "x");
        byte[] amf3Data = new byte[amf0.length + 1];
        System.arraycopy(amf0, 0, amf3Data, 1, amf0.length);
        recorder.onMessage(new TcMessage(TcMessage.DATA_AMF3, 80, amf3Data));
        recorder.onMessage(Command.onStatus(Status.info("status", Status.PLAY_START, "")).toMessage());
        recorder.close();
        recorder.onMessage(new TcMessage(TcMessage.AUDIO, 120, AAC_FRAME));

        assertThat(tags(bytes.toByteArray())).containsExactly(
                new FlvTag(FlvTag.SCRIPT_DATA, 0, Amf.encodeAmf0("onMetaData", meta)),
                new FlvTag(FlvTag.AUDIO, 0, AAC_FRAME),
                new FlvTag(FlvTag.VIDEO, 40, AVC_KEY_FRAME),
                new FlvTag(FlvTag.SCRIPT_DATA, 80, amf0));
        assertThat(FlvHeader.decode(bytes.toByteArray())).isEqualTo(new FlvHeader(true, true));
        assertThat(List.of(recorder.audioTags(), recorder.videoTags(), recorder.dataTags())).containsExactly(1L, 1L, 2L);
    }

    @Test
    void aFileSaysWhichTracksArrivedAndClosingTwiceIsHarmless(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audio.flv");
        Files.writeString(file, "previous content that is longer than what the recording writes ".repeat(10));
        FlvRecorder recorder = FlvRecorder.toFile(file);
        recorder.onMessage(new TcMessage(TcMessage.AUDIO, 0, AAC_FRAME));
        recorder.close();
        recorder.close();

        byte[] written = Files.readAllBytes(file);
        assertThat(FlvHeader.decode(written)).isEqualTo(new FlvHeader(true, false));
        assertThat(tags(written)).containsExactly(new FlvTag(FlvTag.AUDIO, 0, AAC_FRAME));
        assertThat(written).hasSize((int) recorder.bytesWritten());
    }

    @Test
    void startsOnPlayStartAndEndsWhenThePublisherCloses() throws IOException {
        FlvRecorder recorder = FlvRecorder.to(new ByteArrayOutputStream());
        recorder.onStatus(status(Status.LEVEL_STATUS, Status.STREAM_CONNECT_SUCCESS));
        recorder.onStatus(status(Status.LEVEL_STATUS, Status.PLAY_RESET));
        assertThat(recorder.started()).isNotDone();
        recorder.onStatus(status(Status.LEVEL_STATUS, Status.PLAY_START));
        assertThat(recorder.started()).isCompletedWithValueMatching(s -> s.code().equals(Status.PLAY_START));
        assertThat(recorder.ended()).isNotDone();
        recorder.onStatus(status(Status.LEVEL_STATUS, Status.STREAM_CONNECT_CLOSED));
        assertThat(recorder.ended()).isCompletedWithValueMatching(s -> s.code().equals(Status.STREAM_CONNECT_CLOSED));
    }

    @Test
    void aRefusalFailsBothStartAndEndWithTheStatus() throws IOException {
        for (String code : List.of(Status.PLAY_STREAM_NOT_FOUND, Status.STREAM_CONNECT_REJECTED,
                Status.STREAM_CONNECT_FAILED, Status.PLAY_FAILED)) {
            FlvRecorder recorder = FlvRecorder.to(new ByteArrayOutputStream());
            recorder.onStatus(status(Status.LEVEL_ERROR, code));
            recorder.onStatus(status(Status.LEVEL_STATUS, Status.STREAM_CONNECT_CLOSED));
            for (var f : List.of(recorder.started(), recorder.ended())) {
                assertThat(f).as(code).isCompletedExceptionally();
                assertThat(f.handle((s, e) -> e).join()).isInstanceOfSatisfying(NetStatusException.class,
                        e -> assertThat(e.status().code()).isEqualTo(code));
            }
        }
    }
}
