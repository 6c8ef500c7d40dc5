package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Vlu;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One fragment of a multicast stream (netgroup spec §8.6), one message on a {@link GroupFlow#MEDIA}
 * flow: a whole media message, or a piece of one split into consecutive ids.
 *
 * <pre>
 * 20 VLU(id) &lt;media type&gt; &lt;time, 4 bytes&gt; &lt;payload&gt;            WHOLE
 * 30 VLU(id) &lt;rest&gt; &lt;media type&gt; &lt;time, 4 bytes&gt; &lt;payload&gt;     FIRST: rest = pieces that follow
 * 10 VLU(id) &lt;rest&gt; &lt;payload&gt;                                MIDDLE: rest counts down to 1
 * 00 VLU(id) &lt;payload&gt;                                       LAST
 * </pre>
 *
 * The media type is the RTMP message type (08 audio, 09 video, 12/0f data, 14/11 command) and the
 * time the stream timestamp in milliseconds.
 *
 * <p>Tolerant reading, after librtmfp (§8.6): a {@code 30} whose byte after the id is 08 or 09 and
 * whose next byte is not a media type is Flash's {@code 30} without the rest byte, and decodes as
 * a FIRST with {@code rest = 0} (which encodes back without it, as librtmfp's writer would).
 * Unlike librtmfp, a well-formed split data or command message (media type 12, 0f, 14 or 11) is
 * not mistaken for one. A {@code 00} that is a whole message by itself (the other Flash quirk)
 * decodes as an ordinary LAST; telling it apart is reassembly's business.
 *
 * <p>So that every fragment reads back as written, two FIRST fragments the bytes cannot tell
 * apart are refused: one without the rest byte unless its media type is audio or video and its
 * time's top byte is no media type (streams shorter than 37 hours), and one with 8 or 9 pieces
 * following and a media type other than those above.
 *
 * @param kind which of the four forms
 * @param id the fragment number, consecutive across the stream
 * @param rest FIRST: pieces that follow (0 when Flash left the byte out); MIDDLE: pieces left, 1 to
 *     255; otherwise 0
 * @param mediaType WHOLE and FIRST: the RTMP message type; otherwise 0
 * @param time WHOLE and FIRST: the timestamp, 0 to 2^32 − 1; otherwise 0
 * @param payload the message body, or this piece of it
 */
public record MediaFragment(Kind kind, long id, int rest, int mediaType, long time, byte[] payload)
        implements GroupMessage {

    /** The four forms, by type byte. */
    public enum Kind {
        WHOLE(TYPE_WHOLE), FIRST(TYPE_FIRST), MIDDLE(TYPE_MIDDLE), LAST(TYPE_LAST);

        private final int type;

        Kind(int type) {
            this.type = type;
        }

        public int type() {
            return type;
        }

        boolean hasHeader() {
            return this == WHOLE || this == FIRST;
        }
    }

    public static final int TYPE_WHOLE = 0x20;
    public static final int TYPE_FIRST = 0x30;
    public static final int TYPE_MIDDLE = 0x10;
    public static final int TYPE_LAST = 0x00;
    /** librtmfp splits media messages into pieces of this many payload bytes (spec §8.6, §15). */
    public static final int LIBRTMFP_PIECE_SIZE = 959;

    private static final int AUDIO = 0x08;
    private static final int VIDEO = 0x09;

    public MediaFragment {
        Objects.requireNonNull(kind, "kind");
        if (id < 0) {
            throw new IllegalArgumentException("fragment id must be non-negative: " + id);
        }
        int minRest = kind == Kind.MIDDLE ? 1 : 0;
        int maxRest = kind == Kind.FIRST || kind == Kind.MIDDLE ? 0xff : 0;
        if (rest < minRest || rest > maxRest) {
            throw new IllegalArgumentException(kind + " fragment with rest " + rest);
        }
        if (kind.hasHeader() ? mediaType < 0 || mediaType > 0xff || time < 0 || time > 0xffffffffL
                : mediaType != 0 || time != 0) {
            throw new IllegalArgumentException(kind + " fragment with media type " + mediaType + ", time " + time);
        }
        boolean readsBack = rest == 0 ? withoutRest(mediaType, (int) (time >>> 24)) : !withoutRest(rest, mediaType);
        if (kind == Kind.FIRST && !readsBack) {
            throw new IllegalArgumentException("FIRST fragment " + id + " would read back as another: rest " + rest
                    + ", media type " + mediaType + ", time " + time + " (see the class comment)");
        }
        payload = payload.clone();
    }

    public static MediaFragment whole(long id, int mediaType, long time, byte[] payload) {
        return new MediaFragment(Kind.WHOLE, id, 0, mediaType, time, payload);
    }

    public static MediaFragment first(long id, int rest, int mediaType, long time, byte[] payload) {
        return new MediaFragment(Kind.FIRST, id, rest, mediaType, time, payload);
    }

    public static MediaFragment middle(long id, int rest, byte[] payload) {
        return new MediaFragment(Kind.MIDDLE, id, rest, 0, 0, payload);
    }

    public static MediaFragment last(long id, byte[] payload) {
        return new MediaFragment(Kind.LAST, id, 0, 0, 0, payload);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter(1 + Vlu.MAX_BYTES + 6 + payload.length);
        w.u8(kind.type()).vlu(id);
        if (rest > 0) {
            w.u8(rest);
        }
        if (kind.hasHeader()) {
            w.u8(mediaType).u32((int) time);
        }
        return w.bytes(payload).toByteArray();
    }

    public static MediaFragment decode(byte[] message) {
        ByteReader r = new ByteReader(message);
        int type = r.u8();
        Kind kind = switch (type) {
            case TYPE_WHOLE -> Kind.WHOLE;
            case TYPE_FIRST -> Kind.FIRST;
            case TYPE_MIDDLE -> Kind.MIDDLE;
            case TYPE_LAST -> Kind.LAST;
            default -> throw new WireFormatException("not a media fragment: type " + String.format("%02x", type));
        };
        long id = r.vlu();
        int rest = 0;
        if (kind == Kind.MIDDLE || kind == Kind.FIRST && !withoutRest(r)) {
            rest = r.u8();
            if (rest == 0) {
                throw new WireFormatException(kind + " fragment " + id + " with a rest byte of 0");
            }
        }
        int mediaType = 0;
        long time = 0;
        if (kind.hasHeader()) {
            mediaType = r.u8();
            time = r.u32() & 0xffffffffL;
        }
        return new MediaFragment(kind, id, rest, mediaType, time, r.rest());
    }

    /** Whether a {@code 30} lacks its rest byte, judged by the two bytes after the id. */
    private static boolean withoutRest(ByteReader r) {
        ByteReader peek = r.duplicate();
        return peek.remaining() >= 2 && withoutRest(peek.u8(), peek.u8());
    }

    /**
     * The first byte after a {@code 30}'s id is audio or video and the next is no media type: that
     * next byte must be the first of the time, and the rest byte was left out.
     */
    private static boolean withoutRest(int first, int second) {
        return (first == AUDIO || first == VIDEO) && !isMediaType(second);
    }

    private static boolean isMediaType(int b) {
        return switch (b) {
            case AUDIO, VIDEO, 0x12, 0x0f, 0x14, 0x11 -> true;
            default -> false;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaFragment f && f.kind == kind && f.id == id && f.rest == rest
                && f.mediaType == mediaType && f.time == time && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + Long.hashCode(id)) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "MediaFragment[" + kind + " id=" + id + (rest > 0 ? " rest=" + rest : "")
                + (kind.hasHeader() ? " type=" + mediaType + " time=" + time : "") + ", " + payload.length + " bytes]";
    }
}
