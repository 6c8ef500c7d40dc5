package io.rtmfp4j.rtmp;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.DataMessage;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.flash.tc.UserControl;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The server side of one RTMP connection that publishes a stream, without I/O: bytes from the
 * client go in through {@link #receive}, bytes for it come out of {@link #takeOutput}. It
 * answers the commands a publisher sends (RTMP specification 1.0, §7.2): {@code connect},
 * {@code releaseStream}, {@code FCPublish}, {@code createStream}, {@code publish},
 * {@code FCUnpublish}, {@code deleteStream}, as ffmpeg and OBS send them; and hands the published
 * stream's audio, video and data messages to its {@link PublishTarget}.
 *
 * <p>Anything else ends the connection with a reason ({@link #closeReason()}): bytes that are not
 * RTMP or break it, media before {@code publish}, a {@code play}, a publish the target refuses
 * (after telling the client why with an {@code onStatus}). Used from one thread.
 */
public final class RtmpSession {
    /** A key frame of a high-rate 4K stream is a few megabytes; RTMP's own bound is 16 MiB. */
    public static final int MAX_MESSAGE_SIZE = 8 << 20;
    /** What partial messages may hold together: two of the largest. */
    public static final int MAX_BUFFERED = 2 * MAX_MESSAGE_SIZE;
    /** Bytes between acknowledgements we ask of the client, and the bandwidth we grant it (§5.4.4, §5.4.5). */
    static final int WINDOW = 2_500_000;
    /** The chunk size of our replies: every reply then fits in one chunk. */
    static final int CHUNK_SIZE = 4096;
    /** Chunk stream of our commands and status events. */
    static final int COMMAND_CHUNK_STREAM = 3;
    /** Message streams a connection may create; a publisher needs one. */
    static final int MAX_STREAMS = 8;
    static final String RELEASE_STREAM = "releaseStream";
    static final String FC_PUBLISH = "FCPublish";
    static final String FC_UNPUBLISH = "FCUnpublish";
    /** The data handler that asks a server to keep the data frame that follows (FMS's metadata convention). */
    static final String SET_DATA_FRAME = "@setDataFrame";
    /** Characters of a client's name shown in logs and replies. */
    static final int SHOWN = 100;

    private final PublishTarget target;
    private final ServerHandshake handshake;
    private final ChunkDecoder decoder = new ChunkDecoder(MAX_MESSAGE_SIZE, MAX_BUFFERED);
    private final ChunkEncoder encoder = new ChunkEncoder();
    private final ByteWriter out = new ByteWriter();
    private final Set<Long> streams = new HashSet<>();
    private String app;
    private long nextStreamId = 1;
    private long publishingStream = -1;
    private String publishedName;
    private PublishTarget.Publication publication;
    private long received;
    private long acknowledged;
    private long ackWindow;
    private String closeReason;

    /** @param random fills the handshake's random bytes */
    public RtmpSession(PublishTarget target, Random random) {
        this.target = target;
        this.handshake = new ServerHandshake(random);
    }

    /** Reads bytes the client sent. Does nothing once the session is closing. */
    public void receive(byte[] data, int off, int len) {
        if (closeReason != null) {
            return;
        }
        try {
            int at = off;
            int end = off + len;
            if (!handshake.done()) {
                at += handshake.receive(data, at, end - at, out);
            }
            if (at < end) {
                for (RtmpMessage m : decoder.decode(data, at, end - at)) {
                    handle(m);
                    if (closeReason != null) {
                        return;
                    }
                }
            }
            acknowledge(len);
        } catch (RtmpException | AmfException e) {
            close(e.getMessage());
        }
    }

    /** The bytes to send the client now (empty if none); taking them empties the buffer. */
    public byte[] takeOutput() {
        byte[] bytes = out.toByteArray();
        out.clear();
        return bytes;
    }

    /** Why the connection must close once the output is sent; null while it goes on. */
    public String closeReason() {
        return closeReason;
    }

    /** The stream name being published, null when none is. */
    public String publishedName() {
        return publication == null ? null : publishedName;
    }

    /** The connection closed (or will): ends the publication if there is one. */
    public void closed() {
        endPublication();
    }

    private void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        endPublication();
    }

    /** §5.4.3: an acknowledgement each time the client's window of bytes has come in. */
    private void acknowledge(int len) {
        received += len;
        if (ackWindow > 0 && received - acknowledged >= ackWindow) {
            acknowledged = received;
            send(ProtocolControl.CHUNK_STREAM, ProtocolControl.acknowledgement(received & 0xffff_ffffL));
        }
    }

    private void handle(RtmpMessage m) {
        TcMessage msg = m.message();
        switch (msg.type()) {
            case ProtocolControl.WINDOW_ACK_SIZE -> {
                byte[] p = msg.payload();
                if (p.length != 4) {
                    throw new RtmpException("window acknowledgement size of " + p.length + " bytes, not 4");
                }
                ackWindow = Integer.toUnsignedLong(ByteReader.u32(p, 0));
            }
            // Acknowledgements, the client's bandwidth limit and its user control events (buffer
            // length, ping answers) concern what we send, which is a few replies.
            case ProtocolControl.ACKNOWLEDGEMENT, ProtocolControl.SET_PEER_BANDWIDTH, TcMessage.USER_CONTROL -> {
            }
            case TcMessage.COMMAND_AMF0, TcMessage.COMMAND_AMF3 -> command(Command.decode(msg), m.streamId());
            case TcMessage.AUDIO, TcMessage.VIDEO, TcMessage.DATA_AMF0, TcMessage.DATA_AMF3 -> media(m);
            default -> throw new RtmpException("message type " + msg.type() + " is not part of a publish");
        }
    }

    private void command(Command c, long streamId) {
        if (app == null && !Command.CONNECT.equals(c.name())) {
            throw new RtmpException("'" + c.name() + "' before connect");
        }
        switch (c.name()) {
            case Command.CONNECT -> connect(c);
            case RELEASE_STREAM, FC_PUBLISH -> answer(c);
            case Command.CREATE_STREAM -> {
                if (streams.size() == MAX_STREAMS) {
                    throw new RtmpException("more than " + MAX_STREAMS + " streams created");
                }
                long id = nextStreamId++;
                streams.add(id);
                send(COMMAND_CHUNK_STREAM, new RtmpMessage(0, Command.result(c.transactionId(), null, (double) id)
                        .toMessage()));
            }
            case Command.PUBLISH -> publish(c, streamId);
            case Command.PLAY -> {
                status(streamId, Status.LEVEL_ERROR, Status.PLAY_FAILED, "this server takes a publish only");
                close("the client plays " + shown(argument(c, 0)) + ": only publishing is possible here");
            }
            case FC_UNPUBLISH -> {
                endPublication();
                answer(c);
            }
            case Command.DELETE_STREAM, Command.CLOSE_STREAM -> {
                long id = c.name().equals(Command.DELETE_STREAM) && argument(c, 0) instanceof Number n
                        ? n.longValue() : streamId;
                if (id == publishingStream) {
                    endPublication();
                }
                streams.remove(id);
            }
            default -> {
                if (c.transactionId() > 0) {
                    send(COMMAND_CHUNK_STREAM, new RtmpMessage(0, Command.error(c.transactionId(), null,
                            Status.info(Status.LEVEL_ERROR, Status.CALL_FAILED, "unknown method '" + c.name() + "'"))
                            .toMessage()));
                }
            }
        }
    }

    private void connect(Command c) {
        if (app != null) {
            throw new RtmpException("a second connect");
        }
        if (!(c.commandObject() instanceof Map<?, ?> object) || !(object.get("app") instanceof String name)) {
            throw new RtmpException("connect without an app in its command object");
        }
        app = name;
        send(ProtocolControl.CHUNK_STREAM, ProtocolControl.windowAckSize(WINDOW));
        send(ProtocolControl.CHUNK_STREAM, ProtocolControl.setPeerBandwidth(WINDOW, ProtocolControl.LIMIT_DYNAMIC));
        send(ProtocolControl.CHUNK_STREAM, ProtocolControl.setChunkSize(CHUNK_SIZE));
        encoder.setChunkSize(CHUNK_SIZE);
        // Clients look for an FMS version and the capabilities of FMS 3 (31: all of them).
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", "FMS/3,0,1,123");
        properties.put("capabilities", 31.0);
        Map<String, Object> info = Status.info(Status.LEVEL_STATUS, Status.CONNECT_SUCCESS, "Connection succeeded.");
        info.put("objectEncoding", 0.0);
        send(COMMAND_CHUNK_STREAM, new RtmpMessage(0, Command.result(c.transactionId(), properties, info).toMessage()));
    }

    private void publish(Command c, long streamId) {
        if (!streams.contains(streamId)) {
            throw new RtmpException("publish on stream " + streamId + ", which createStream did not make");
        }
        if (!(argument(c, 0) instanceof String name)) {
            throw new RtmpException("publish without a stream name");
        }
        if (publication != null || publishingStream >= 0) {
            throw new RtmpException("a second publish on one connection");
        }
        try {
            publication = target.publish(app, name);
        } catch (PublishRefusedException e) {
            status(streamId, Status.LEVEL_ERROR, Status.PUBLISH_BAD_NAME, e.getMessage());
            close("publish of " + shown(name) + " refused: " + e.getMessage());
            return;
        }
        publishingStream = streamId;
        publishedName = name;
        send(ProtocolControl.CHUNK_STREAM, new RtmpMessage(0, new UserControl.StreamBegin(streamId).toMessage()));
        status(streamId, Status.LEVEL_STATUS, Status.PUBLISH_START, shown(name) + " is now published");
    }

    private void media(RtmpMessage m) {
        if (publication == null || m.streamId() != publishingStream) {
            throw new RtmpException("a message of type " + m.message().type() + " on stream " + m.streamId()
                    + ", which is not publishing");
        }
        TcMessage msg = m.message();
        if (msg.type() == TcMessage.DATA_AMF0 || msg.type() == TcMessage.DATA_AMF3) {
            List<Object> values = DataMessage.decode(msg).values();
            if (!values.isEmpty() && SET_DATA_FRAME.equals(values.get(0))) {
                // The frame the server is asked to keep is what players receive, as they would from FMS.
                msg = new DataMessage(values.subList(1, values.size())).toMessage(msg.timestamp());
            }
        }
        publication.message(msg);
    }

    /** {@code _result} for a command that asks for one (transaction ID above 0), with nothing to say. */
    private void answer(Command c) {
        if (c.transactionId() > 0) {
            send(COMMAND_CHUNK_STREAM, new RtmpMessage(0, Command.result(c.transactionId(), null, null).toMessage()));
        }
    }

    private void status(long streamId, String level, String code, String description) {
        send(COMMAND_CHUNK_STREAM, new RtmpMessage(streamId, Command.onStatus(Status.info(level, code, description))
                .toMessage()));
    }

    /**
     * A name from the client as logs and replies show it: quoted, control characters replaced and
     * cut at {@value #SHOWN} characters, since a name can be megabytes of anything.
     */
    static String shown(Object name) {
        String s = String.valueOf(name);
        String cut = s.length() > SHOWN ? s.substring(0, SHOWN) + "..." : s;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    private static Object argument(Command c, int i) {
        return c.arguments().size() > i ? c.arguments().get(i) : null;
    }

    private void endPublication() {
        if (publication != null) {
            PublishTarget.Publication p = publication;
            publication = null;
            p.end();
        }
    }

    private void send(int csid, RtmpMessage m) {
        encoder.encode(csid, m, out);
    }
}
