package io.rtmfp4j.flash.group.wire;

/**
 * "I don't need you; close if you don't need me" (type 0c, netgroup spec §5.5), one byte on the
 * {@link GroupFlow#REPORT} flow. The receiver closes its report flow, which ends the session, only
 * if the sender is not in its best list and it has more neighbors than it wants.
 */
public record DisconnectRequest() implements GroupMessage {
    public static final int TYPE = 0x0c;
    public static final DisconnectRequest INSTANCE = new DisconnectRequest();

    @Override
    public byte[] encode() {
        return new byte[] {TYPE};
    }

    /** Reads the message; bytes after the type are ignored. */
    public static DisconnectRequest decode(byte[] message) {
        GroupWire.body(message, TYPE, "disconnect request");
        return INSTANCE;
    }
}
