package io.rtmfp4j.rtmp;

/** A {@link PublishTarget} does not take a publish: the message says why, to the client and the log. */
public final class PublishRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public PublishRefusedException(String message) {
        super(message);
    }
}
