package io.rtmfp4j.core.session;

/** Why an inbound datagram or chunk was dropped; every drop is counted under one of these. */
public enum DropReason {
    /** Shorter than an SSID plus one cipher block, or longer than the receive limit. */
    BAD_SIZE,
    /** Failed decryption checks: checksum, HMAC, cipher block size, a replayed session sequence number. */
    BAD_PROTECTION,
    /** Decrypted, but the packet or a chunk did not parse. */
    MALFORMED,
    /** Mode bits not allowed here (startup mode outside startup, reflected mode, mode 0). */
    BAD_MODE,
    /** A non-zero SSID that names no session of ours. */
    UNKNOWN_SESSION,
    /** An RHello, Redirect or Cookie Change with no matching opening session. */
    UNMATCHED_STARTUP,
    /** An IHello whose endpoint discriminator selects neither us nor anyone the introducer knows. */
    UNMATCHED_HELLO,
    /**
     * An IHello (or forwarded IHello) whose tag is shorter than the 16 random bytes every initiator
     * sends: no real client would, and a short tag only makes the answer a larger multiple of the request.
     */
    SHORT_TAG,
    /** A cookie that is expired or was not minted by us. */
    BAD_COOKIE,
    /** A certificate that does not parse or is not acceptable. */
    BAD_CERTIFICATE,
    /** Keying parameters that could not be agreed (DH group, public key, HMAC/SSEQ negotiation). */
    KEYING_FAILED,
    /** Too many keying computations already in progress. */
    KEYING_BUSY,
    /** An IIKeying that lost glare or would override a session with a different certificate. */
    REFUSED_IIKEYING,
    /**
     * A copy of the IIKeying of a session its initiator has already sent keyed packets on; or an
     * IIKeying whose keying finished after that of a later IIKeying from the same initiator.
     */
    STALE_IIKEYING,
    /** An early packet pushed out of the bounded buffer kept while keying. */
    EARLY_OVERFLOW,
    /** A fragment beyond what a receiving flow may hold; the sender ignored our window and will retransmit. */
    RECEIVE_BUFFER_FULL,
    /** A new flow beyond the per-session limit of receiving flows. */
    TOO_MANY_FLOWS,
    /** A reassembled message larger than the configured limit. */
    MESSAGE_TOO_LARGE,
    /** A startup packet beyond its source address's handshake rate. */
    RATE_LIMITED,
    /** A new session refused because the endpoint holds its maximum number of sessions. */
    SESSION_LIMIT,
    /** An answer to an unvalidated address would have been more than three times the request's size. */
    AMPLIFICATION_LIMIT,
    /** A bug of ours surfaced while handling the datagram; it is contained to that datagram. */
    INTERNAL_ERROR
}
