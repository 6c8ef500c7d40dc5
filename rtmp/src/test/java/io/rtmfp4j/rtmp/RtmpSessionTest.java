package io.rtmfp4j.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.DataMessage;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.flash.tc.UserControl;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The command exchange of a publisher, as ffmpeg sends it (libavformat/rtmpproto.c's order), against {@link RtmpSession}. */
class RtmpSessionTest {
    /** A target that takes the name "live" once at a time, and records what it is given. */
    private final class Target implements PublishTarget {
        final List<TcMessage> messages = new ArrayList<>();
        int ended;

        @Override
        public Publication publish(String app, String name) throws PublishRefusedException {
            if (!name.equals("live")) {
                throw new PublishRefusedException("this server takes 'live', not " + RtmpSession.shown(name));
            }
            apps.add(app);
            return new Publication() {
                @Override
                public void message(TcMessage m) {
                    messages.add(m);
                }

                @Override
                public void end() {
                    ended++;
                }
            };
        }
    }

    private final List<String> apps = new ArrayList<>();
    private final Target target = new Target();
    private final RtmpSession session = new RtmpSession(target, new Random(1));
    private final ChunkEncoder client = new ChunkEncoder();
    /** The server's chunk stream, after its handshake. */
    private final ChunkDecoder replies = new ChunkDecoder(1 << 20, 2 << 20);
    private byte[] c1;

    private void handshake() {
        c1 = new byte[ServerHandshake.PACKET];
        new Random(2).nextBytes(c1);
        byte[] c0c1 = new byte[1 + c1.length];
        c0c1[0] = 3;
        System.arraycopy(c1, 0, c0c1, 1, c1.length);
        session.receive(c0c1, 0, c0c1.length);
        byte[] s = session.takeOutput();
        assertThat(s).hasSize(1 + 2 * ServerHandshake.PACKET);
        assertThat(s[0]).isEqualTo((byte) 3);
        assertThat(Arrays.copyOfRange(s, 1, 9)).as("time and zero version: the plain handshake").containsOnly(0);
        assertThat(Arrays.copyOfRange(s, 1 + ServerHandshake.PACKET, s.length)).as("S2 echoes C1").isEqualTo(c1);
        // C2 echoes S1; the client's first chunks follow in the same segment.
        ByteWriter c2 = new ByteWriter().bytes(Arrays.copyOfRange(s, 1, 1 + ServerHandshake.PACKET));
        connect(c2);
        send(c2.toByteArray());
    }

    private void connect(ByteWriter out) {
        client.encode(3, new RtmpMessage(0, new Command(Command.CONNECT, 1, Map.of("app", "live", "type", "nonprivate",
                "tcUrl", "rtmp://127.0.0.1:1935/live"), List.of()).toMessage()), out);
    }

    private void send(byte[] bytes) {
        session.receive(bytes, 0, bytes.length);
    }

    private void send(int csid, RtmpMessage m) {
        ByteWriter out = new ByteWriter();
        client.encode(csid, m, out);
        send(out.toByteArray());
    }

    private void command(long stream, String name, double tid, Object... args) {
        send(3, new RtmpMessage(stream, Command.call(name, tid, args).toMessage()));
    }

    private List<RtmpMessage> replies() {
        byte[] out = session.takeOutput();
        return replies.decode(out, 0, out.length);
    }

    private static List<Command> commands(List<RtmpMessage> ms) {
        return ms.stream().filter(m -> m.message().type() == TcMessage.COMMAND_AMF0)
                .map(m -> Command.decode(m.message())).toList();
    }

    private static Object code(Command c) {
        return ((Map<?, ?>) c.statusInfo()).get("code");
    }

    /** Handshake, connect, releaseStream, FCPublish, createStream, publish "live": returns the publish replies. */
    private List<RtmpMessage> publish(String name) {
        handshake();
        List<RtmpMessage> connected = replies();
        // Set Chunk Size is applied by the decoder, not returned.
        assertThat(connected).extracting(m -> m.message().type()).containsExactly(ProtocolControl.WINDOW_ACK_SIZE,
                ProtocolControl.SET_PEER_BANDWIDTH, TcMessage.COMMAND_AMF0);
        assertThat(replies.chunkSize()).isEqualTo(RtmpSession.CHUNK_SIZE);
        Command result = commands(connected).get(0);
        assertThat(result.name()).isEqualTo(Command.RESULT);
        assertThat(result.transactionId()).isEqualTo(1);
        assertThat(code(result)).isEqualTo(Status.CONNECT_SUCCESS);
        command(0, RtmpSession.RELEASE_STREAM, 2, name);
        command(0, RtmpSession.FC_PUBLISH, 3, name);
        command(0, Command.CREATE_STREAM, 4);
        List<Command> answers = commands(replies());
        assertThat(answers).extracting(Command::name).containsExactly(Command.RESULT, Command.RESULT, Command.RESULT);
        assertThat(answers).extracting(Command::transactionId).containsExactly(2.0, 3.0, 4.0);
        assertThat(answers.get(2).arguments()).containsExactly(1.0);
        command(1, Command.PUBLISH, 5, name, "live");
        return replies();
    }

    @Test
    void aPublisherIsAnsweredAsItExpectsAndItsStreamReachesTheTarget() {
        List<RtmpMessage> published = publish("live");
        assertThat(UserControl.decode(published.get(0).message())).isEqualTo(new UserControl.StreamBegin(1));
        Command start = commands(published).get(0);
        assertThat(start.name()).isEqualTo(Command.ON_STATUS);
        assertThat(code(start)).isEqualTo(Status.PUBLISH_START);
        assertThat(apps).containsExactly("live");
        assertThat(session.publishedName()).isEqualTo("live");

        send(4, new RtmpMessage(1, DataMessage.of("@setDataFrame", "onMetaData", Map.of("width", 160.0)).toMessage()));
        send(4, new RtmpMessage(1, new TcMessage(TcMessage.VIDEO, 0, new byte[] {0x17, 0, 0, 0, 1})));
        send(4, new RtmpMessage(1, new TcMessage(TcMessage.AUDIO, 23, new byte[] {(byte) 0xaf, 1, 2})));
        assertThat(target.messages).hasSize(3);
        assertThat(DataMessage.decode(target.messages.get(0)).values()).as("@setDataFrame removed")
                .containsExactly("onMetaData", Map.of("width", 160.0));
        assertThat(target.messages.get(1).payload()).containsExactly(0x17, 0, 0, 0, 1);
        assertThat(target.messages.get(2).timestamp()).isEqualTo(23);

        command(0, RtmpSession.FC_UNPUBLISH, 6, "live");
        command(0, Command.DELETE_STREAM, 7, 1.0);
        assertThat(target.ended).isEqualTo(1);
        assertThat(session.closeReason()).isNull();
        session.closed();
        assertThat(target.ended).as("ended once").isEqualTo(1);
    }

    @Test
    void aNameTheTargetRefusesIsAnsweredWithBadNameAndTheConnectionCloses() {
        List<RtmpMessage> published = publish("other");
        Command refused = commands(published).get(0);
        assertThat(code(refused)).isEqualTo(Status.PUBLISH_BAD_NAME);
        assertThat(((Map<?, ?>) refused.statusInfo()).get("description")).isEqualTo("this server takes 'live', not 'other'");
        assertThat(session.closeReason()).contains("publish of 'other' refused");
        assertThat(target.ended).isZero();
    }

    @Test
    void aHugeOrStrangeNameIsShownCutAndCleaned() {
        List<RtmpMessage> published = publish("x".repeat(100_000) + "\n");
        assertThat(session.closeReason()).hasSizeLessThan(400).contains("xxx...'").doesNotContain("\n");
        assertThat(((Map<?, ?>) commands(published).get(0).statusInfo()).get("description").toString())
                .hasSizeLessThan(400);
    }

    @Test
    void aPlayerIsToldThisServerTakesPublishersAndClosed() {
        handshake();
        replies();
        command(0, Command.CREATE_STREAM, 2);
        replies();
        command(1, Command.PLAY, 3, "live");
        assertThat(code(commands(replies()).get(0))).isEqualTo(Status.PLAY_FAILED);
        assertThat(session.closeReason()).contains("plays 'live'");
    }

    @Test
    void mediaBeforePublishClosesTheConnection() {
        handshake();
        replies();
        send(4, new RtmpMessage(1, new TcMessage(TcMessage.VIDEO, 0, new byte[] {0x17})));
        assertThat(session.closeReason()).contains("not publishing");
        assertThat(target.messages).isEmpty();
    }

    @Test
    void aCommandBeforeConnectClosesTheConnection() {
        byte[] c0c1c2 = new byte[1 + 2 * ServerHandshake.PACKET];
        c0c1c2[0] = 3;
        send(c0c1c2);
        session.takeOutput();
        command(0, Command.CREATE_STREAM, 2);
        assertThat(session.closeReason()).isEqualTo("'createStream' before connect");
    }

    @Test
    void anHttpClientIsRecognisedAtItsFirstByte() {
        send("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(session.closeReason()).contains("it speaks HTTP");
        assertThat(session.takeOutput()).isEmpty();
    }

    @Test
    void anUnknownCallIsAnsweredWithAnError() {
        handshake();
        replies();
        command(0, "getStreamLength", 2, "live");
        Command error = commands(replies()).get(0);
        assertThat(error.name()).isEqualTo(Command.ERROR);
        assertThat(code(error)).isEqualTo(Status.CALL_FAILED);
        assertThat(session.closeReason()).isNull();
    }

    @Test
    void theClientsWindowIsAcknowledged() {
        handshake();
        replies();
        send(2, new RtmpMessage(0, new TcMessage(ProtocolControl.WINDOW_ACK_SIZE, 0, new ByteWriter().u32(5000).toByteArray())));
        command(0, RtmpSession.RELEASE_STREAM, 2, "x".repeat(6000));
        List<RtmpMessage> acks = replies().stream().filter(m -> m.message().type() == ProtocolControl.ACKNOWLEDGEMENT).toList();
        assertThat(acks).hasSize(1);
        long acknowledged = Integer.toUnsignedLong(ByteReader.u32(acks.get(0).message().payload(), 0));
        assertThat(acknowledged).isGreaterThan(1 + 2 * ServerHandshake.PACKET + 6000);
    }
}
