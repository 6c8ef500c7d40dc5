package io.rtmfp4j.fuzz;

import io.rtmfp4j.core.chunk.ChunkCodec;
import io.rtmfp4j.core.crypto.Certificate;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PacketProtection;
import io.rtmfp4j.core.packet.Packet;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.Option;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.amf.Amf;
import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.flv.FlvException;
import io.rtmfp4j.flash.flv.FlvReader;
import io.rtmfp4j.flash.group.GroupSpec;
import io.rtmfp4j.flash.group.GroupSpecException;
import io.rtmfp4j.flash.group.wire.GroupChannel;
import io.rtmfp4j.flash.group.wire.GroupMessage;
import io.rtmfp4j.flash.group.wire.PostingMessage;
import io.rtmfp4j.flash.group.wire.ReplicationMessage;
import io.rtmfp4j.flash.group.wire.RoutedMessage;
import io.rtmfp4j.flash.store.StoreMessage;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.DataMessage;
import io.rtmfp4j.flash.tc.TcMessage;
import io.rtmfp4j.flash.tc.TcMetadata;
import io.rtmfp4j.flash.tc.UserControl;
import io.rtmfp4j.rtmp.ChunkDecoder;
import io.rtmfp4j.rtmp.PublishTarget;
import io.rtmfp4j.rtmp.RtmpException;
import io.rtmfp4j.rtmp.RtmpSession;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Every decoder that reads bytes from the network or from files, with the exceptions its contract
 * allows for malformed input: anything else escaping it is a finding. One line per decoder; a new
 * one joins the campaign by adding its line here.
 */
enum Decoder {
    /** A whole datagram before any session: startup packet protection, then the packet (RFC 7016 §2.2, RFC 7425 §4.6). */
    DATAGRAM(Decoder::datagram, WireFormatException.class),
    /** A packet once decrypted: header and chunks (RFC 7016 §2.2). */
    PACKET(b -> Packet.decode(b, 0, b.length), WireFormatException.class),
    /** One chunk of the type in the first byte; malformed chunks decode to InvalidChunk, never throw. */
    CHUNK(b -> ChunkCodec.decode(b.length == 0 ? 0 : b[0] & 0xff, new ByteReader(b, Math.min(1, b.length),
            Math.max(0, b.length - 1)))),
    /** Option lists (RFC 7016 §2.1.3), as in certificates, EPDs and user data. */
    OPTIONS(b -> Option.decodeUnterminated(new ByteReader(b)), WireFormatException.class),
    /** Addresses as in Redirect and setPeerInfo (RFC 7016 §2.1.5). */
    ADDRESS(b -> Address.decode(new ByteReader(b)), WireFormatException.class),
    /** A peer's certificate from IIKeying or RIKeying (RFC 7425 §4.3). */
    CERTIFICATE(Certificate::decode, WireFormatException.class),
    /** An endpoint discriminator from IHello (RFC 7425 §4.4). */
    EPD(EndpointDiscriminator::decode, WireFormatException.class),
    /** AMF0 values (spec: AMF0). */
    AMF0(Amf::decodeAmf0, AmfException.class),
    /** AMF3 values (spec: AMF3). */
    AMF3(Amf::decodeAmf3, AmfException.class),
    /** TC flow metadata, the first bytes of every Flash flow (RFC 7425 §5.1.1). */
    TC_METADATA(TcMetadata::parse),
    /** A TC message and what it carries, read as the client and the server read them (RFC 7425 §5.1.2). */
    TC_MESSAGE(Decoder::tcMessage, AmfException.class),
    /** An FLV file, header and every tag. */
    FLV(Decoder::flv, FlvException.class),
    /** A NetGroup join on the server's group channel. */
    GROUP_JOIN(GroupChannel::parseJoin),
    /** A member announcement on the server channel's return flow. */
    GROUP_ANNOUNCEMENT(GroupChannel::parseAnnouncement),
    /** A groupspec string, as an application or a peer gives it (netgroup spec §3.4). */
    GROUPSPEC(b -> GroupSpec.parse(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)),
            GroupSpecException.class),
    /** A message of the group flows librtmfp reads with one type switch (netgroup spec §1, §5, §6, §8). */
    GROUP_MESSAGE(GroupMessage::decode, WireFormatException.class),
    /** A message of this project's posting flow (netgroup spec §16). */
    GROUP_POSTING(PostingMessage::decode, WireFormatException.class),
    /** A message of this project's routing flow (netgroup spec §16). */
    GROUP_ROUTED(RoutedMessage::decode, WireFormatException.class),
    /** A message of this project's object replication flows (GR F2 and F3). */
    GROUP_REPLICATION(ReplicationMessage::decode, WireFormatException.class),
    /** A message of the GroupStore, in the body of a directed message (its entries' signatures are not checked). */
    GROUP_STORE(StoreMessage::decode, WireFormatException.class),
    /** An RTMP chunk stream, as {@code rtmfp ingest} reads it from a publisher after the handshake. */
    RTMP_CHUNKS(b -> new ChunkDecoder(RtmpSession.MAX_MESSAGE_SIZE, RtmpSession.MAX_BUFFERED).decode(b, 0, b.length),
            RtmpException.class),
    /** A whole RTMP connection after a handshake: commands, control and media; the session never throws. */
    RTMP_SESSION(Decoder::rtmpSession);

    /** What a decoder does with one input; its return value is ignored. */
    interface Body {
        void decode(byte[] input) throws Exception;
    }

    /** As {@link Body}, for decoders that return what they read. */
    interface Function {
        Object decode(byte[] input) throws Exception;
    }

    private final Body body;
    private final List<Class<? extends Exception>> allowed;

    @SafeVarargs
    Decoder(Function body, Class<? extends Exception>... allowed) {
        this.body = body::decode;
        this.allowed = Arrays.asList(allowed);
    }

    /**
     * Decodes {@code input}; an exception its contract allows is the expected answer to malformed
     * input and is swallowed, any other escapes.
     */
    void decode(byte[] input) throws Exception {
        try {
            body.decode(input);
        } catch (Exception e) {
            if (allowed.stream().noneMatch(a -> a.isInstance(e))) {
                throw e;
            }
        }
    }

    private static Object datagram(byte[] input) {
        byte[] packet = Startup.PROTECTION.open(input, 0, input.length);
        return Packet.decode(packet, 0, packet.length);
    }

    /** Startup protection keeps no state between datagrams: one serves every input. */
    private static final class Startup {
        static final PacketProtection PROTECTION = PacketProtection.startup();
    }

    private static Object tcMessage(byte[] input) {
        TcMessage m = TcMessage.decode(input);
        return switch (m.type()) {
            case TcMessage.COMMAND_AMF0, TcMessage.COMMAND_AMF3 -> Command.decode(m);
            case TcMessage.DATA_AMF0, TcMessage.DATA_AMF3 -> DataMessage.decode(m);
            case TcMessage.USER_CONTROL -> UserControl.decode(m.payload());
            default -> m;
        };
    }

    private static Object rtmpSession(byte[] input) {
        // Every publish is taken, so that media reach the target.
        RtmpSession session = new RtmpSession((app, name) -> new PublishTarget.Publication() {
            @Override
            public void message(TcMessage m) {
                // What a target does with the stream is not the campaign's concern.
            }

            @Override
            public void end() {
                // Nothing to release.
            }
        }, new Random(0));
        byte[] handshake = new byte[1 + 2 * 1536];
        handshake[0] = 3;
        session.receive(handshake, 0, handshake.length);
        session.receive(input, 0, input.length);
        return session.takeOutput();
    }

    private static Object flv(byte[] input) throws Exception {
        try (FlvReader r = new FlvReader(new ByteArrayInputStream(input))) {
            int tags = 0;
            while (r.next().isPresent()) {
                tags++;
            }
            return tags;
        }
    }
}
