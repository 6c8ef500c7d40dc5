package io.rtmfp4j.rtmp;

/**
 * Bytes from an RTMP client that break the protocol, or exceed what this server accepts: the
 * connection cannot go on. The message says what was wrong, for the log.
 */
public final class RtmpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RtmpException(String message) {
        super(message);
    }
}
