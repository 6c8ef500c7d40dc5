package io.rtmfp4j.server.relay;

/** A request for a relay that the server turned down; {@link #reason()} says why. */
public final class RelayRefusedException extends RuntimeException {
    private final RelayStats.Refusal reason;

    public RelayRefusedException(RelayStats.Refusal reason) {
        super(describe(reason), null, false, false);
        this.reason = reason;
    }

    public RelayStats.Refusal reason() {
        return reason;
    }

    /** What the client is told. */
    static String describe(RelayStats.Refusal reason) {
        return switch (reason) {
            case DISABLED -> "this server relays nothing";
            case UNKNOWN_PEER -> "that peer is not connected";
            case SELF -> "a client cannot relay to itself";
            case CLIENT_LIMIT -> "too many relays for one of the two peers";
            case SERVER_LIMIT -> "the server relays as many pairs as it may";
            case NO_PORT -> "no relay port is free";
        };
    }
}
