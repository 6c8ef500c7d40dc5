package io.rtmfp4j.flash.net;

import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.session.WriteOptions;
import io.rtmfp4j.core.session.WriteReceipt;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.MediaFrames;
import io.rtmfp4j.flash.tc.TcMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One peer playing a direct-connection {@link NetStream} (Flash's {@code NetStream.peerStreams}
 * entries): the flow it asked on, and the flows the publisher answers on. Data and commands,
 * audio and video each get a flow, as Flash and rtmfp-cpp do (spec §6.2), so a late video frame
 * given up does not hold back audio or data.
 *
 * <p>A viewer that joins mid-stream gets the stream's metadata and decoder configuration first
 * and then video from the next key frame on: frames before it could not be decoded.
 */
public final class PeerStream implements AutoCloseable {
    /** Data and commands: reliable, not time critical so bulk data cannot starve media. */
    private static final int DATA_PRIORITY = 3;
    private static final int AUDIO_PRIORITY = 5;
    private static final int VIDEO_PRIORITY = 4;

    private final NetStream publisher;
    private final Session session;
    private final ReceiveFlow request;
    private final String farId;
    private final String name;
    private SendFlow data;
    private SendFlow audio;
    private SendFlow video;
    private boolean receiveAudio = true;
    private boolean receiveVideo = true;
    private boolean waitingForKeyFrame = true;
    /** The last key frame sent: later frames depend on it, so giving it up gives them up (RFC 7016 §3.6.2.3). */
    private WriteReceipt keyFrame;
    private volatile boolean open;

    PeerStream(NetStream publisher, ReceiveFlow request, String name) {
        this.publisher = publisher;
        this.session = request.session();
        this.request = request;
        this.farId = session.farPeerId().orElse("");
        this.name = name;
    }

    /** The subscriber's peer ID. */
    public String farId() {
        return farId;
    }

    /** The stream name it asked to play. */
    public String name() {
        return name;
    }

    public boolean isOpen() {
        return open;
    }

    /**
     * Sends a data message to this subscriber only (Flash's {@code send} on a {@code peerStreams}
     * entry), reliably and in order with the stream's other data; completes when acknowledged.
     * The arguments are encoded before it returns, so the caller may reuse an array it passed.
     */
    public CompletableFuture<Void> send(String handler, Object... arguments) {
        ByteWriter m = NetStream.dataMessage(handler, arguments).encode();
        CompletableFuture<Void> result = new CompletableFuture<>();
        publisher.connection().host().execute(e -> {
            WriteReceipt r = writeData(m.array(), m.size());
            publisher.settleAll(r == null ? List.of() : List.of(r), result, r == null);
        });
        return result;
    }

    /** Disconnects this subscriber: its flows close, and it sees the stream end. */
    @Override
    public void close() {
        publisher.connection().host().execute(e -> publisher.dropSubscriber(this, "closed by the publisher"));
    }

    // ---------------------------------------------------------------- loop thread, for NetStream

    Session session() {
        return session;
    }

    void open() {
        byte[] metadata = request.metadata();
        data = session.openFlow(metadata, request, DATA_PRIORITY);
        audio = session.openFlow(metadata, request, AUDIO_PRIORITY);
        video = session.openFlow(metadata, request, VIDEO_PRIORITY);
        open = true;
    }

    /** Writes a command or data message reliably on the data flow. */
    WriteReceipt writeData(TcMessage m) {
        byte[] encoded = m.encode();
        return writeData(encoded, encoded.length);
    }

    /** Writes the first {@code length} bytes of {@code encoded}, a whole TC message, as {@link #writeData(TcMessage)}. */
    private WriteReceipt writeData(byte[] encoded, int length) {
        return open && data.state() == SendFlow.State.OPEN
                ? data.write(encoded, 0, length, WriteOptions.RELIABLE) : null;
    }

    /**
     * Writes an audio or video message under the stream's reliability settings; returns null when
     * this subscriber does not take it (muted, or video before the first key frame).
     */
    WriteReceipt writeMedia(TcMessage m, boolean reliable, java.time.Duration deadline) {
        if (!open) {
            return null;
        }
        boolean isVideo = m.type() == TcMessage.VIDEO;
        if (isVideo ? !receiveVideo : !receiveAudio) {
            return null;
        }
        SendFlow flow = isVideo ? video : audio;
        if (flow.state() != SendFlow.State.OPEN) {
            return null;
        }
        byte[] body = m.payload();
        if (MediaFrames.isSequenceHeader(m.type(), body)) {
            return flow.write(m.encode());
        }
        WriteOptions options = reliable ? WriteOptions.RELIABLE : WriteOptions.finishWithin(deadline);
        if (!isVideo) {
            return flow.write(m.encode(), options);
        }
        boolean key = MediaFrames.isKeyFrame(m.type(), body);
        if (waitingForKeyFrame && !key) {
            return null;
        }
        waitingForKeyFrame = false;
        WriteReceipt r = flow.write(m.encode(), key || reliable ? options : options.withParent(keyFrame));
        if (key) {
            keyFrame = r;
        }
        return r;
    }

    void onSubscriberCommand(Command c) {
        switch (c.name()) {
            case Command.CLOSE_STREAM -> publisher.dropSubscriber(this, "the subscriber stopped playing");
            case Command.RECEIVE_AUDIO -> receiveAudio = flag(c, receiveAudio);
            case Command.RECEIVE_VIDEO -> {
                boolean was = receiveVideo;
                receiveVideo = flag(c, receiveVideo);
                if (!was && receiveVideo) {
                    waitingForKeyFrame = true;
                }
            }
            default -> {
                // Flash subscribers send nothing else that a direct publisher acts on.
            }
        }
    }

    private static boolean flag(Command c, boolean current) {
        return !c.arguments().isEmpty() && c.arguments().get(0) instanceof Boolean b ? b : current;
    }

    void subscriberLeft() {
        publisher.dropSubscriber(this, "the subscriber left");
    }

    /** Closes our flows (the subscriber sees them end) and stops reading its request. */
    void shut() {
        if (!open) {
            return;
        }
        open = false;
        for (SendFlow f : List.of(data, audio, video)) {
            f.close();
        }
    }

    @Override
    public String toString() {
        return "PeerStream[" + name + " to " + (farId.length() > 16 ? farId.substring(0, 16) : farId) + "]";
    }
}
