package io.rtmfp4j.flash.flv;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;

/**
 * The header that opens an FLV file (FLV specification v10.1, annex E.2):
 * {@code 'F' 'L' 'V' || version u8 = 1 || flags u8 || DataOffset u32}, followed by
 * PreviousTagSize0, a u32 that is always 0.
 *
 * <p>Only two flag bits carry meaning: 0x04 audio tags present, 0x01 video tags present. They are
 * advisory; players (and {@link FlvReader}) read whatever tags follow.
 */
public record FlvHeader(boolean hasAudio, boolean hasVideo) {
    /** Bytes of the header proper, which is also the DataOffset a version 1 file carries. */
    public static final int SIZE = 9;
    /** Bytes {@link #encode()} returns: the header and PreviousTagSize0. */
    public static final int ENCODED_SIZE = SIZE + 4;
    public static final int VERSION = 1;

    private static final int FLAG_AUDIO = 0x04;
    private static final int FLAG_VIDEO = 0x01;

    /** The first bytes of a file: the 9-byte header with DataOffset 9, then PreviousTagSize0 = 0. */
    public byte[] encode() {
        int flags = (hasAudio ? FLAG_AUDIO : 0) | (hasVideo ? FLAG_VIDEO : 0);
        return new ByteWriter(ENCODED_SIZE).u8('F').u8('L').u8('V').u8(VERSION).u8(flags).u32(SIZE).u32(0)
                .toByteArray();
    }

    /**
     * Reads the 9-byte header at the start of {@code bytes} (PreviousTagSize0 is not looked at).
     * Reserved flag bits are ignored.
     *
     * @throws FlvException when the bytes are too few, the signature is not "FLV", the version is
     *                      not 1 or DataOffset is shorter than the header
     */
    public static FlvHeader decode(byte[] bytes) throws FlvException {
        if (bytes.length < SIZE) {
            throw new FlvException("not an FLV file: " + bytes.length + " bytes, shorter than the 9-byte header");
        }
        if (bytes[0] != 'F' || bytes[1] != 'L' || bytes[2] != 'V') {
            throw new FlvException("not an FLV file: no \"FLV\" signature");
        }
        if (bytes[3] != VERSION) {
            throw new FlvException("FLV version " + (bytes[3] & 0xff) + " is not supported; only version 1 is defined");
        }
        long dataOffset = dataOffset(bytes);
        if (dataOffset < SIZE) {
            throw new FlvException("FLV DataOffset " + dataOffset + " is shorter than the 9-byte header");
        }
        return new FlvHeader((bytes[4] & FLAG_AUDIO) != 0, (bytes[4] & FLAG_VIDEO) != 0);
    }

    /** DataOffset, unsigned: where the body starts, counted from the signature. */
    static long dataOffset(byte[] header) {
        return ByteReader.u32(header, 5) & 0xffff_ffffL;
    }
}
