package io.rtmfp4j.core.crypto;

/**
 * What this end asks for when keying a session (RFC 7425 §4.6: HMAC negotiation and session
 * sequence number negotiation). Each mechanism is negotiated per direction: "send always" means
 * this end protects what it sends, "require" means it insists the far end does.
 *
 * @param hmacSendAlways append an HMAC to every packet this end sends
 * @param hmacRequire require the far end to append an HMAC
 * @param hmacLength HMAC length this end produces and announces, 4..32 bytes (Flash 10, rtmfp-cpp 16)
 * @param sseqSendAlways prefix a session sequence number to every packet this end sends
 * @param sseqRequire require the far end to send session sequence numbers
 */
public record HandshakeSettings(boolean hmacSendAlways, boolean hmacRequire, int hmacLength,
        boolean sseqSendAlways, boolean sseqRequire) {
    public static final int MIN_HMAC_LENGTH = 4;
    public static final int MAX_HMAC_LENGTH = 32;
    /** Flash Player announces 10 bytes. */
    public static final int FLASH_HMAC_LENGTH = 10;
    /** rtmfp-cpp's default. */
    public static final int DEFAULT_HMAC_LENGTH = 16;

    public HandshakeSettings {
        if (hmacLength < MIN_HMAC_LENGTH || hmacLength > MAX_HMAC_LENGTH) {
            throw new IllegalArgumentException("HMAC length must be 4..32, got " + hmacLength);
        }
    }

    /**
     * What Flash Player and Flash-era servers do: nothing required, HMAC and sequence numbers
     * offered on request, 10-byte HMAC announced. Produces the exact Flash skic/skrc layouts.
     */
    public static HandshakeSettings flashCompatible() {
        return new HandshakeSettings(false, false, FLASH_HMAC_LENGTH, false, false);
    }

    /**
     * HMAC and sequence numbers sent and required in both directions, 16-byte HMAC: rtmfp-cpp's
     * tcserver default (pitfall P8).
     */
    public static HandshakeSettings strict() {
        return new HandshakeSettings(true, true, DEFAULT_HMAC_LENGTH, true, true);
    }
}
