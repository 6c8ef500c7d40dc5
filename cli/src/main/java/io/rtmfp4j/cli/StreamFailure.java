package io.rtmfp4j.cli;

/**
 * Why a {@code rtmfp stream} command could not do its job (server unreachable, stream not found,
 * ...): its message is printed as it stands and the command exits 1.
 */
final class StreamFailure extends Exception {
    private static final long serialVersionUID = 1L;

    StreamFailure(String message) {
        super(message);
    }
}
