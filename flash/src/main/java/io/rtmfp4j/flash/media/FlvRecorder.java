package io.rtmfp4j.flash.media;

import io.rtmfp4j.flash.amf.Amf;
import io.rtmfp4j.flash.flv.FlvHeader;
import io.rtmfp4j.flash.flv.FlvTag;
import io.rtmfp4j.flash.flv.FlvWriter;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.tc.DataMessage;
import io.rtmfp4j.flash.tc.MediaFrames;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Records what a playing {@link NetStream} receives as an FLV file: set it as the stream's
 * {@linkplain NetStream#setHandler handler} (or call it from yours), then {@code play}. Every
 * audio, video and data message becomes a tag with the message's timestamp
 * ({@link FlvTag#fromMessage}), in the order of arrival.
 *
 * <p>Two data messages are the stream's own business rather than its content and are left out
 * of the file: {@code |RtmpSampleAccess}, which a publisher sends every new player (spec §6.8),
 * and the {@code @setDataFrame} wrapper some publishers put around metadata, which is removed so
 * that the file holds {@code onMetaData} as FLV files do.
 *
 * <p>A stream joined under way (a group's multicast stream) is best recorded {@linkplain #rebase()
 * rebased}: the file starts at timestamp 0, and the metadata and decoder configurations a
 * multicast publisher repeats for late players are written once each.
 *
 * <p>{@link #started()} and {@link #ended()} follow the stream's status events, so a program can
 * wait for the publisher's answer and for the end of the stream. Methods are safe to call from
 * any thread.
 */
public final class FlvRecorder implements NetStreamHandler, AutoCloseable {
    private static final byte[] SAMPLE_ACCESS = Amf.encodeAmf0("|RtmpSampleAccess");
    private static final byte[] SET_DATA_FRAME = Amf.encodeAmf0("@setDataFrame");
    /** The player's stream is over: the publisher stopped, dropped us, or the connection ended. */
    private static final Set<String> END = Set.of(Status.STREAM_CONNECT_CLOSED, Status.PLAY_UNPUBLISH_NOTIFY,
            Status.PLAY_STOP);
    /** The publisher would not or could not give us the stream. */
    private static final Set<String> REFUSED = Set.of(Status.PLAY_STREAM_NOT_FOUND, Status.PLAY_FAILED,
            Status.STREAM_CONNECT_REJECTED, Status.STREAM_CONNECT_FAILED);

    private final FlvWriter writer;
    private final FileChannel file;
    private final CompletableFuture<NetStatus> started = new CompletableFuture<>();
    private final CompletableFuture<NetStatus> ended = new CompletableFuture<>();
    private boolean hasAudio;
    private boolean hasVideo;
    private long audio;
    private long video;
    private long data;
    /** Rebased: the first tag's timestamp, once there is one; -1 before, or when not rebased. */
    private long base = -1;
    private boolean rebase;
    /** Rebased: the last metadata, video and audio configuration written, to leave out repeats. */
    private final byte[][] preambles = new byte[3][];
    /** No more tags are written. */
    private boolean closed;
    private boolean released;

    private FlvRecorder(OutputStream out, FileChannel file) throws IOException {
        this.writer = new FlvWriter(out);
        this.file = file;
        writer.writeHeader(new FlvHeader(true, true));
    }

    /**
     * Records to a stream. The header says the file has both audio and video, since it is
     * written before either arrives.
     */
    public static FlvRecorder to(OutputStream out) throws IOException {
        return new FlvRecorder(out, null);
    }

    /**
     * Records to a file, created or replaced. {@link #close()} rewrites the header's flags to
     * say which of audio and video actually arrived.
     */
    public static FlvRecorder toFile(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new FlvRecorder(Channels.newOutputStream(channel), channel);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Completes with {@code NetStream.Play.Start}; fails with a {@link NetStatusException} when
     * the publisher answers {@code Play.StreamNotFound} or {@code Play.Failed}, refuses the player
     * ({@code Connect.Rejected}) or cannot be reached ({@code Connect.Failed}), or when the stream
     * ends first.
     */
    public CompletableFuture<NetStatus> started() {
        return started;
    }

    /**
     * Completes with the status that ended the stream ({@code NetStream.Connect.Closed},
     * {@code Play.UnpublishNotify} or {@code Play.Stop}); fails as {@link #started()} does, or
     * with the {@link IOException} that stopped the recording.
     */
    public CompletableFuture<NetStatus> ended() {
        return ended;
    }

    @Override
    public void onStatus(NetStatus status) {
        if (Status.PLAY_START.equals(status.code())) {
            started.complete(status);
        } else if (REFUSED.contains(status.code())) {
            NetStatusException refused = new NetStatusException(status);
            started.completeExceptionally(refused);
            ended.completeExceptionally(refused);
        } else if (END.contains(status.code())) {
            started.completeExceptionally(new NetStatusException(status));
            ended.complete(status);
        }
    }

    /**
     * From now on, timestamps are rebased so that the first tag written is at 0, and metadata or
     * a decoder configuration the same as the last one written is left out.
     *
     * @return this recorder
     */
    public synchronized FlvRecorder rebase() {
        rebase = true;
        return this;
    }

    @Override
    public void onMessage(TcMessage message) {
        Optional<FlvTag> converted = FlvTag.fromMessage(message);
        if (converted.isEmpty()) {
            return;
        }
        int preamble = DataMessage.isMetadata(message) ? 0
                : MediaFrames.isSequenceHeader(message.type(), message.payload())
                        ? message.type() == TcMessage.VIDEO ? 1 : 2 : -1;
        FlvTag tag = converted.get();
        if (tag.type() == FlvTag.SCRIPT_DATA) {
            if (startsWith(tag.body(), SAMPLE_ACCESS)) {
                return;
            }
            if (startsWith(tag.body(), SET_DATA_FRAME)) {
                tag = new FlvTag(FlvTag.SCRIPT_DATA, tag.timestamp(),
                        Arrays.copyOfRange(tag.body(), SET_DATA_FRAME.length, tag.body().length));
            }
        }
        write(tag, preamble);
    }

    /** Writes a tag; {@code preamble} is 0 to 2 for metadata, video and audio configurations, else -1. */
    private synchronized void write(FlvTag tag, int preamble) {
        if (closed) {
            return;
        }
        if (rebase) {
            if (preamble >= 0) {
                if (Arrays.equals(preambles[preamble], tag.body())) {
                    return;
                }
                preambles[preamble] = tag.body();
            }
            if (base < 0) {
                base = tag.timestamp();
            }
            tag = new FlvTag(tag.type(), (int) Math.max(0, tag.timestamp() - base), tag.body());
        }
        try {
            writer.write(tag);
        } catch (IOException e) {
            closed = true;
            ended.completeExceptionally(e);
            return;
        }
        switch (tag.type()) {
            case FlvTag.AUDIO -> {
                audio++;
                hasAudio = true;
            }
            case FlvTag.VIDEO -> {
                video++;
                hasVideo = true;
            }
            default -> data++;
        }
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        return body.length >= prefix.length && Arrays.equals(body, 0, prefix.length, prefix, 0, prefix.length);
    }

    public synchronized long audioTags() {
        return audio;
    }

    public synchronized long videoTags() {
        return video;
    }

    /** Script data tags: metadata and other data messages. */
    public synchronized long dataTags() {
        return data;
    }

    public synchronized long bytesWritten() {
        return writer.bytesWritten();
    }

    /**
     * Stops recording: later messages are dropped; the file is flushed, its header flags set
     * (for {@link #toFile}) and closed. Closing again does nothing.
     */
    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (released) {
            return;
        }
        released = true;
        try {
            writer.flush();
            if (file != null) {
                byte[] header = new FlvHeader(hasAudio, hasVideo).encode();
                file.write(ByteBuffer.wrap(header, 0, FlvHeader.SIZE), 0);
            }
        } finally {
            writer.close();
        }
    }
}
