package io.rtmfp4j.core.wire;

/**
 * Raised by every decoder when bytes from the network do not form a valid structure.
 *
 * <p>The packet path catches it, counts the drop and moves on: the network is hostile, so a
 * malformed datagram is an ordinary event, not a bug. The exception carries no stack trace
 * because it is thrown on the hot path and the message alone says what was wrong.
 */
public final class WireFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message, null, false, false);
    }
}
