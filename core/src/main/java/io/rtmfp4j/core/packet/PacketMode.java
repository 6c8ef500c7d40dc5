package io.rtmfp4j.core.packet;

/**
 * The two low bits of the packet flags (RFC 7016 §2.2.4): who sent the packet. A receiver drops
 * session packets carrying its own role, so packets reflected back at their sender are ignored.
 */
public enum PacketMode {
    INITIATOR(1),
    RESPONDER(2),
    /** Handshake packets (IHello ... RIKeying). */
    STARTUP(3);

    private final int bits;

    PacketMode(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    /** The mode for bits 1..3; 0 is forbidden and has no mode. */
    public static PacketMode fromBits(int bits) {
        return switch (bits) {
            case 1 -> INITIATOR;
            case 2 -> RESPONDER;
            case 3 -> STARTUP;
            default -> throw new IllegalArgumentException("no packet mode " + bits);
        };
    }
}
