package io.rtmfp4j.cli;

import static io.rtmfp4j.cli.MulticastProcessTest.assertContiguous;
import static io.rtmfp4j.cli.MulticastProcessTest.indexOfPicture;
import static io.rtmfp4j.cli.MulticastProcessTest.media;
import static io.rtmfp4j.cli.MulticastProcessTest.tags;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.flash.amf.Amf;
import io.rtmfp4j.flash.flv.FlvTag;
import io.rtmfp4j.flash.tc.MediaFrames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rtmfp ingest} with real ffmpeg (the Debian package {@code ffmpeg}; skipped without it):
 * ffmpeg publishes the test FLV clip twice over, as {@code -c copy -f flv rtmp://...} does from
 * any file, into an ingest that multicasts it in a group; a {@code stream play --group} process
 * records it. A second ffmpeg publishing the same name meanwhile is refused, and does not
 * disturb the recording. Every process is real, on loopback.
 */
class IngestProcessTest {
    /** A bound for a hung process on a loaded machine, not a timing. */
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern RTMP = Pattern.compile("listening for an RTMP publisher on 127\\.0\\.0\\.1:(\\d+)");
    private final CliProcesses cli = new CliProcesses();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        cli.close();
    }

    private static Path ffmpeg() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, "ffmpeg");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void ffmpegPublishesOverRtmpAndAGroupPlayerRecordsEveryTagInOrderWithTheMetadata(@TempDir Path dir) throws Exception {
        Path ffmpeg = ffmpeg();
        Assumptions.assumeTrue(ffmpeg != null, "ffmpeg is not installed (Debian package ffmpeg): RTMP ingest not tested");
        Path in = dir.resolve("in.flv");
        try (var resource = getClass().getResourceAsStream("/io/rtmfp4j/flash/flv/testsrc.flv")) {
            Files.copy(resource, in);
        }
        Path out = dir.resolve("out.flv");
        String url = "rtmfp://127.0.0.1:" + cli.startServer() + "/app";
        Process ingest = cli.start("ingest", "--server", url, "--group", "show", "--name", "live", "--rtmp-port", "0");
        Lines ingestSaid = Lines.of(ingest.getInputStream());
        Lines ingestLog = Lines.of(ingest.getErrorStream());
        Matcher port = RTMP.matcher(ingestSaid.await(s -> RTMP.matcher(s).find(), 1, WAIT).get(0));
        assertThat(port.find()).isTrue();
        String rtmp = "rtmp://127.0.0.1:" + port.group(1) + "/live/live";

        // Long enough to outlast ffmpeg's start on a loaded machine: its clock starts at play.
        Process player = cli.start("stream", "play", "--server", url, "--group", "show", "--name", "live", "--out",
                out.toString(), "--duration", "25s");
        Lines.of(player.getInputStream()).await(s -> s.startsWith("playing 'live' in group 'show'"), 1, WAIT);
        ingestSaid.await(s -> s.startsWith("member ") && s.endsWith(" joined"), 1, WAIT);

        Process publisher = cli.start(new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-loglevel", "error",
                "-re", "-stream_loop", "1", "-i", in.toString(), "-c", "copy", "-f", "flv", rtmp));
        ingestLog.await(s -> s.contains("publishes 'live'"), 1, WAIT);
        CliProcesses.Result second = CliProcesses.finish(cli.start(new ProcessBuilder(ffmpeg.toString(), "-hide_banner",
                "-loglevel", "error", "-i", in.toString(), "-c", "copy", "-f", "flv", rtmp)));
        assertThat(second.exit()).as("a second publisher is refused").isNotZero();
        assertThat(second.err()).contains("'live' is being published by another client");

        CliProcesses.Result published = CliProcesses.finish(publisher);
        assertThat(published.exit()).as("ffmpeg: %s", published.err()).isZero();
        CliProcesses.Result played = CliProcesses.finish(player);
        assertThat(played.exit()).as("player: %s %s", played.out(), played.err()).isZero();

        List<FlvTag> file = media(tags(in));
        List<FlvTag> got = tags(out);
        int picture = indexOfPicture(got);
        List<FlvTag> before = got.subList(0, picture);
        assertThat(before).as("starts " + got.subList(0, Math.min(6, got.size())))
                .anyMatch(t -> t.type() == FlvTag.SCRIPT_DATA && "onMetaData".equals(Amf.decodeAmf0(t.body()).get(0)))
                .anyMatch(t -> t.type() == FlvTag.VIDEO && MediaFrames.isSequenceHeader(t.type(), t.body()))
                .anyMatch(t -> t.type() == FlvTag.AUDIO && MediaFrames.isSequenceHeader(t.type(), t.body()));
        assertThat(media(got)).as("at least one pass of the clip").hasSizeGreaterThanOrEqualTo(file.size());
        // Each track in order; ffmpeg interleaves the two afresh where the clip starts again.
        for (int type : new int[] {FlvTag.AUDIO, FlvTag.VIDEO}) {
            assertContiguous(out, only(type, media(got)), only(type, file));
        }
        assertThat(ingestLog.all()).anyMatch(s -> s.contains("closed: publish of 'live' refused"));
    }

    /**
     * The frames of one track. ffmpeg's FLV muxer ends its output with an AVC end-of-sequence tag
     * (AVCPacketType 2), which its FLV reader does not return as a packet: the clip's own is not
     * sent, ffmpeg's comes at the end; neither is a frame.
     */
    private static List<FlvTag> only(int type, List<FlvTag> tags) {
        return tags.stream().filter(t -> t.type() == type)
                .filter(t -> !(t.type() == FlvTag.VIDEO && t.body().length > 1 && (t.body()[0] & 0x0f) == 7
                        && t.body()[1] == 2))
                .toList();
    }
}
