package io.rtmfp4j.flash.flv;

import io.rtmfp4j.core.wire.ByteWriter;
import java.io.BufferedOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes an FLV file (FLV specification v10.1, annex E): {@link #writeHeader(FlvHeader)} once,
 * then {@link #write(FlvTag)} for each tag, each followed by its PreviousTagSize (11 plus the body
 * length). StreamID is 0 and the Filter bit clear, as the specification requires.
 *
 * <p>Output is buffered here, so a raw file stream is fine; call {@link #flush()} to push what
 * was written so far (for a file growing during a live recording) and {@link #close()} at the
 * end, which flushes and closes the stream. Not thread-safe.
 */
public final class FlvWriter implements AutoCloseable, Flushable {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final OutputStream out;
    private final ByteWriter tagHeader = new ByteWriter(FlvTag.HEADER_SIZE);
    private final byte[] previousTagSize = new byte[4];
    private boolean headerWritten;
    private boolean closed;
    private long tagsWritten;
    private long bytesWritten;

    public FlvWriter(OutputStream out) {
        this.out = new BufferedOutputStream(out, BUFFER_SIZE);
    }

    /** Writes the file header and PreviousTagSize0; first, and once. */
    public void writeHeader(FlvHeader header) throws IOException {
        checkOpen();
        if (headerWritten) {
            throw new IllegalStateException("the FLV header is already written");
        }
        byte[] bytes = header.encode();
        out.write(bytes);
        bytesWritten += bytes.length;
        headerWritten = true;
    }

    /** Writes one tag and the PreviousTagSize after it. */
    public void write(FlvTag tag) throws IOException {
        checkOpen();
        if (!headerWritten) {
            throw new IllegalStateException("write the FLV header before the first tag");
        }
        int size = tag.body().length;
        int timestamp = tag.timestamp();
        tagHeader.clear();
        // Timestamp: the low 24 bits, then TimestampExtended, the high 8; StreamID 0.
        tagHeader.u8(tag.type()).u8(size >>> 16).u16(size).u8(timestamp >>> 16).u16(timestamp).u8(timestamp >>> 24)
                .u8(0).u16(0);
        out.write(tagHeader.array(), 0, FlvTag.HEADER_SIZE);
        out.write(tag.body());
        ByteWriter.putU32(previousTagSize, 0, FlvTag.HEADER_SIZE + size);
        out.write(previousTagSize);
        tagsWritten++;
        bytesWritten += FlvTag.HEADER_SIZE + size + previousTagSize.length;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the FLV writer is closed");
        }
    }

    /** Tags written so far. */
    public long tagsWritten() {
        return tagsWritten;
    }

    /** Bytes written so far, header included, whether or not flushed yet. */
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Flushes and closes the stream; closing again does nothing. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }
}
