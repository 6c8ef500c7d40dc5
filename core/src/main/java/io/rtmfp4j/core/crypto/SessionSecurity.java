package io.rtmfp4j.core.crypto;

import java.util.Objects;

/**
 * The outcome of keying a session: keys plus what was negotiated for each direction
 * (RFC 7425 §4.6). "tx" is what this end sends, "rx" what it receives.
 *
 * @param keys the derived keys and nonces
 * @param txHmacLength HMAC length this end appends, 0 for none (then a checksum is sent instead)
 * @param rxHmacLength HMAC length the far end appends, 0 for none (then a checksum is expected)
 * @param txSseq whether this end prefixes session sequence numbers
 * @param rxSseq whether the far end does (and replays are checked)
 * @param group the DH group the secret was computed in
 */
public record SessionSecurity(SessionKeys keys, int txHmacLength, int rxHmacLength, boolean txSseq,
        boolean rxSseq, DhGroup group) {

    public SessionSecurity {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(group, "group");
        requireHmacLength(txHmacLength, "txHmacLength");
        requireHmacLength(rxHmacLength, "rxHmacLength");
    }

    private static void requireHmacLength(int len, String name) {
        if (len != 0 && (len < HandshakeSettings.MIN_HMAC_LENGTH || len > HandshakeSettings.MAX_HMAC_LENGTH)) {
            throw new IllegalArgumentException(name + " must be 0 or 4..32, got " + len);
        }
    }

    public boolean txHmac() {
        return txHmacLength != 0;
    }

    public boolean rxHmac() {
        return rxHmacLength != 0;
    }
}
