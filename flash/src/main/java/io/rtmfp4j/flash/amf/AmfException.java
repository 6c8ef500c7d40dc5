package io.rtmfp4j.flash.amf;

/**
 * Raised by every decoder of the Flash profile, AMF and TC alike, when bytes from the network do
 * not form a valid value or message.
 *
 * <p>Like the core's {@code WireFormatException} it is unchecked and carries no stack trace: a
 * malformed message from a peer is an ordinary event, and the message says what was wrong.
 */
public final class AmfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AmfException(String message) {
        super(message, null, false, false);
    }
}
