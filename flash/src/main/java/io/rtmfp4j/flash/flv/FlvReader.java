package io.rtmfp4j.flash.flv;

import io.rtmfp4j.core.wire.ByteReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads an FLV file tag by tag from a stream (FLV specification v10.1, annex E): the header, then
 * {@code tag || PreviousTagSize} pairs. Nothing is read before the first call, so a reader made
 * in a {@code try}-with-resources statement always closes its stream.
 *
 * <p>Input may be hostile, and damaged files are common (recordings cut off, muxers with
 * their own idea of PreviousTagSize); the reader goes as far as a player would and counts the rest:
 * <ul>
 * <li><b>Truncated end.</b> When the input ends inside a tag header or body, that partial tag is
 *     dropped and {@link #next()} reports the end as for a whole file; {@link #truncated()} is
 *     then true and {@link #droppedTrailingBytes()} says how many bytes were dropped. A tag whose
 *     body is complete but whose PreviousTagSize is missing or partial is still returned (the
 *     partial field's bytes are counted as dropped). A file cut inside its header is an
 *     {@link FlvException}: it was never an FLV file.</li>
 * <li><b>PreviousTagSize</b> should be 11 plus the DataSize of the tag before it (0 after the
 *     header). A wrong value changes nothing, since tags are found from DataSize; it is counted
 *     in {@link #previousTagSizeMismatches()}.</li>
 * <li><b>Unknown tag types</b> (other than 8, 9 and 18) are skipped and counted in
 *     {@link #skippedUnknownTags()}; the two reserved bits above the Filter bit are ignored.</li>
 * <li><b>Encrypted tags</b> (Filter bit 0x20 set: the body starts with an encryption header
 *     and filter parameters, then encrypted media) are skipped and counted in
 *     {@link #skippedEncryptedTags()}: without the keys they cannot be played or sent on.</li>
 * <li><b>Size.</b> A tag whose DataSize is above the reader's limit (by default the 24-bit
 *     maximum) is an {@link FlvException}, raised before its body is read. A body is read
 *     in steps as bytes arrive, so memory grows with the bytes actually present, never
 *     beyond the limit, whatever DataSize claims. Skipped tags are read through a small buffer.</li>
 * <li><b>Other fields.</b> StreamID, always 0, is not checked. A DataOffset above 9 is honoured by
 *     skipping the extra header bytes (so such a file is not rewritten byte for byte by
 *     {@link FlvWriter}, which writes 9).</li>
 * </ul>
 *
 * <p>Only {@link FlvException} signals malformed input; other {@link IOException}s come from the
 * stream. After an {@code FlvException} the reader is unusable and each call raises it again.
 * Not thread-safe.
 */
public final class FlvReader implements AutoCloseable {
    /** Any tag FLV can express: DataSize is 24 bits. */
    public static final int DEFAULT_MAX_TAG_SIZE = FlvTag.MAX_BODY_SIZE;

    private static final int PREVIOUS_TAG_SIZE_BYTES = 4;
    private static final int FILTER = 0x20;
    private static final int TAG_TYPE = 0x1f;
    private static final int DISCARD_CHUNK = 8192;

    private final InputStream in;
    private final int maxTagSize;
    private FlvHeader header;
    private FlvException failure;
    private boolean ended;
    private byte[] discardBuffer;

    private long tagsRead;
    private long skippedUnknownTags;
    private long skippedEncryptedTags;
    private long previousTagSizeMismatches;
    private boolean truncated;
    private long droppedTrailingBytes;

    public FlvReader(InputStream in) {
        this(in, DEFAULT_MAX_TAG_SIZE);
    }

    /** @param maxTagSize the largest DataSize accepted, 0 to {@link FlvTag#MAX_BODY_SIZE} */
    public FlvReader(InputStream in, int maxTagSize) {
        if (maxTagSize < 0 || maxTagSize > FlvTag.MAX_BODY_SIZE) {
            throw new IllegalArgumentException("tag size limit " + maxTagSize + " outside 0.." + FlvTag.MAX_BODY_SIZE);
        }
        this.in = Objects.requireNonNull(in, "in");
        this.maxTagSize = maxTagSize;
    }

    /** The file header, read on the first call to this method or to {@link #next()}. */
    public FlvHeader header() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (header == null) {
            try {
                header = readHeader();
            } catch (FlvException e) {
                failure = e;
                throw e;
            }
        }
        return header;
    }

    /** The next audio, video or script data tag, or empty at the end of the input. */
    public Optional<FlvTag> next() throws IOException {
        header();
        try {
            return Optional.ofNullable(readTag());
        } catch (FlvException e) {
            failure = e;
            throw e;
        }
    }

    private FlvHeader readHeader() throws IOException {
        byte[] bytes = in.readNBytes(FlvHeader.SIZE);
        FlvHeader decoded = FlvHeader.decode(bytes);
        long extra = FlvHeader.dataOffset(bytes) - FlvHeader.SIZE;
        long skipped = discard(extra);
        if (skipped < extra) {
            endTruncated(skipped);
        } else {
            readPreviousTagSize(0);
        }
        return decoded;
    }

    private FlvTag readTag() throws IOException {
        while (!ended) {
            byte[] h = in.readNBytes(FlvTag.HEADER_SIZE);
            if (h.length == 0) {
                ended = true;
                return null;
            }
            if (h.length < FlvTag.HEADER_SIZE) {
                endTruncated(h.length);
                return null;
            }
            int size = u24(h, 1);
            if (size > maxTagSize) {
                throw new FlvException("FLV tag of " + size + " bytes exceeds the limit of " + maxTagSize);
            }
            int flags = h[0] & 0xff;
            int type = flags & TAG_TYPE;
            // TimestampExtended holds the upper 8 bits of the 32-bit timestamp.
            int timestamp = (h[7] & 0xff) << 24 | u24(h, 4);
            boolean known = type == FlvTag.AUDIO || type == FlvTag.VIDEO || type == FlvTag.SCRIPT_DATA;
            if (known && (flags & FILTER) == 0) {
                byte[] body = in.readNBytes(size);
                if (body.length < size) {
                    endTruncated(FlvTag.HEADER_SIZE + body.length);
                    return null;
                }
                readPreviousTagSize(FlvTag.HEADER_SIZE + size);
                tagsRead++;
                return new FlvTag(type, timestamp, body);
            }
            long skipped = discard(size);
            if (skipped < size) {
                endTruncated(FlvTag.HEADER_SIZE + skipped);
                return null;
            }
            if (known) {
                skippedEncryptedTags++;
            } else {
                skippedUnknownTags++;
            }
            readPreviousTagSize(FlvTag.HEADER_SIZE + size);
        }
        return null;
    }

    /** Reads the PreviousTagSize after a tag (or after the header) and checks it leniently. */
    private void readPreviousTagSize(int expected) throws IOException {
        byte[] field = in.readNBytes(PREVIOUS_TAG_SIZE_BYTES);
        if (field.length < PREVIOUS_TAG_SIZE_BYTES) {
            endTruncated(field.length);
        } else if (ByteReader.u32(field, 0) != expected) {
            previousTagSizeMismatches++;
        }
    }

    private void endTruncated(long dropped) {
        ended = true;
        truncated = true;
        droppedTrailingBytes = dropped;
    }

    /** Reads and forgets up to {@code n} bytes; returns how many there were. */
    private long discard(long n) throws IOException {
        if (n > 0 && discardBuffer == null) {
            discardBuffer = new byte[DISCARD_CHUNK];
        }
        long done = 0;
        while (done < n) {
            int got = in.read(discardBuffer, 0, (int) Math.min(discardBuffer.length, n - done));
            if (got < 0) {
                break;
            }
            done += got;
        }
        return done;
    }

    private static int u24(byte[] b, int at) {
        return (b[at] & 0xff) << 16 | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff);
    }

    /** Audio, video and script data tags returned so far. */
    public long tagsRead() {
        return tagsRead;
    }

    /** Tags of types other than 8, 9 and 18, skipped whole. */
    public long skippedUnknownTags() {
        return skippedUnknownTags;
    }

    /** Tags with the Filter bit set, skipped whole. */
    public long skippedEncryptedTags() {
        return skippedEncryptedTags;
    }

    /** PreviousTagSize fields (PreviousTagSize0 included) that did not match the tag before them. */
    public long previousTagSizeMismatches() {
        return previousTagSizeMismatches;
    }

    /** Whether the input ended inside the header's extra bytes, a tag or a PreviousTagSize. */
    public boolean truncated() {
        return truncated;
    }

    /** Bytes at the end of a {@linkplain #truncated() truncated} input that formed no whole tag. */
    public long droppedTrailingBytes() {
        return droppedTrailingBytes;
    }

    /** Closes the stream. */
    @Override
    public void close() throws IOException {
        in.close();
    }
}
