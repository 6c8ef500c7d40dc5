package io.rtmfp4j.core.session;

import io.rtmfp4j.core.packet.PacketMode;

/** Which end opened the session; it fixes the mode bits of every session packet we send (RFC 7016 §2.2.4). */
public enum SessionRole {
    INITIATOR(PacketMode.INITIATOR),
    RESPONDER(PacketMode.RESPONDER);

    private final PacketMode mode;

    SessionRole(PacketMode mode) {
        this.mode = mode;
    }

    /** The mode of the packets this end sends. */
    public PacketMode mode() {
        return mode;
    }
}
