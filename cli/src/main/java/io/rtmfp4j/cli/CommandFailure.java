package io.rtmfp4j.cli;

/**
 * Why a command could not do its job (the server does not answer, the peer refused, the file
 * cannot be read ...): printed as {@code rtmfp COMMAND: message} on one line, and the command
 * exits with {@link #exitCode()}. Misuse is a picocli {@code ParameterException} instead (exit 2).
 */
final class CommandFailure extends Exception {
    private static final long serialVersionUID = 1L;
    /** The exit code of a command that could not do its job. */
    static final int FAILED = 1;

    private final int exitCode;

    CommandFailure(String message) {
        this(FAILED, message);
    }

    CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A failure the command has reported itself: nothing more is printed. */
    static CommandFailure reported(int exitCode) {
        return new CommandFailure(exitCode, null);
    }

    /** Whether the message is still to be printed. */
    boolean unreported() {
        return getMessage() != null;
    }

    int exitCode() {
        return exitCode;
    }
}
