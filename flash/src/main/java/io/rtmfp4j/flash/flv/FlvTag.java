package io.rtmfp4j.flash.flv;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.tc.MediaFrames;
import io.rtmfp4j.flash.tc.TcMessage;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One FLV tag (FLV specification v10.1, annex E.4): its type, its timestamp and its body, the
 * audio, video or script data that follows the 11-byte tag header. The tag types are the RTMP
 * message types, and a body is exactly the payload of one TC message (RFC 7425 §5.1.1, spec §6.3):
 * {@link #toMessage()} and {@link #fromMessage(TcMessage)} convert.
 *
 * <p>The body array belongs to the record from then on: it is not copied, so treat it as
 * read-only. Equality, hash code and {@code toString} look at its contents.
 *
 * @param type      {@link #AUDIO}, {@link #VIDEO} or {@link #SCRIPT_DATA}
 * @param timestamp milliseconds, all 32 bits of it: the wire splits it into 24 low bits and an
 *                  8-bit extension. FLV calls the field signed and RTMP unsigned; the bits are the
 *                  same, and {@link FlvPacer} reads differences modulo 2^32 so both work
 * @param body      at most {@link #MAX_BODY_SIZE} bytes
 */
public record FlvTag(int type, int timestamp, byte[] body) {
    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    /** AMF0 values, such as {@code "onMetaData", {duration: …}}. */
    public static final int SCRIPT_DATA = 18;

    /** Bytes of the tag header: type, DataSize u24, Timestamp u24, TimestampExtended u8, StreamID u24. */
    public static final int HEADER_SIZE = 11;
    /** DataSize is 24 bits. */
    public static final int MAX_BODY_SIZE = 0xff_ffff;

    public FlvTag {
        if (type != AUDIO && type != VIDEO && type != SCRIPT_DATA) {
            throw new IllegalArgumentException("FLV tag type is 8, 9 or 18: " + type);
        }
        Objects.requireNonNull(body, "body");
        if (body.length > MAX_BODY_SIZE) {
            throw new IllegalArgumentException("FLV tag body of " + body.length + " bytes exceeds the 24-bit DataSize");
        }
    }

    /**
     * Whether this is a video tag of frame type 1, a key frame: where a decoder can start. The
     * frame type is the high nibble of the first body byte; under Enhanced RTMP it is the three
     * bits below the extended-header bit, which {@code & 0x7} reads in both layouts. Codec
     * configuration tags (see {@link #isSequenceHeader()}) are usually marked as key frames too.
     */
    public boolean isKeyFrame() {
        return MediaFrames.isKeyFrame(type, body);
    }

    /**
     * Whether this tag carries a decoder configuration rather than media: an AVC or HEVC video tag
     * of AVCPacketType 0 (the AVCDecoderConfigurationRecord or its HEVC counterpart), an AAC audio
     * tag of AACPacketType 0 (the AudioSpecificConfig), or an Enhanced RTMP audio or video tag of
     * packet type SequenceStart. A player joining a live stream needs the latest of these for each
     * track before the first key frame; Enhanced RTMP multitrack and ModEx packets are not looked
     * into and answer false.
     */
    public boolean isSequenceHeader() {
        return MediaFrames.isSequenceHeader(type, body);
    }

    /**
     * The TC message that carries this tag on a NetStream: the same type (8, 9 or 0x12 data
     * AMF0), the timestamp as unsigned 32 bits and the body as payload, shared, not copied.
     */
    public TcMessage toMessage() {
        return new TcMessage(type, Integer.toUnsignedLong(timestamp), body);
    }

    /**
     * The tag for a TC message received on a NetStream, sharing its payload; empty for messages an
     * FLV file does not hold (commands, user control, shared objects …) and for payloads beyond
     * {@link #MAX_BODY_SIZE}. A data message of type 0x0f with format byte 0 becomes a script data
     * tag without that byte, since the rest is AMF0 (spec §6.3); other formats are dropped.
     */
    public static Optional<FlvTag> fromMessage(TcMessage message) {
        byte[] payload = message.payload();
        int timestamp = (int) message.timestamp();
        switch (message.type()) {
            case TcMessage.AUDIO, TcMessage.VIDEO, TcMessage.DATA_AMF0 -> {
                return payload.length > MAX_BODY_SIZE ? Optional.empty()
                        : Optional.of(new FlvTag(message.type(), timestamp, payload));
            }
            case TcMessage.DATA_AMF3 -> {
                if (payload.length == 0 || payload[0] != 0 || payload.length - 1 > MAX_BODY_SIZE) {
                    return Optional.empty();
                }
                return Optional.of(new FlvTag(SCRIPT_DATA, timestamp, Arrays.copyOfRange(payload, 1, payload.length)));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlvTag other && type == other.type && timestamp == other.timestamp
                && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return (31 * type + timestamp) * 31 + Arrays.hashCode(body);
    }

    /** Shows the start of the body only: media bodies run to kilobytes. */
    @Override
    public String toString() {
        int shown = Math.min(body.length, 16);
        return "FlvTag[type=" + type + ", timestamp=" + Integer.toUnsignedString(timestamp) + ", body=" + body.length
                + " bytes " + Hex.encode(Arrays.copyOf(body, shown)) + (shown < body.length ? "...]" : "]");
    }
}
