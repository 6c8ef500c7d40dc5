package io.rtmfp4j.core.session;

/**
 * What a target does with a forwarded IHello (FIHello) that selects it (RFC 7016 §3.5.1.5).
 * Flash Player always answers its server's FIHellos with an RHello, which is what makes it
 * reachable for peer-to-peer sessions through NATs.
 */
public enum ForwardedHelloPolicy {
    IGNORE,
    /** Answer with an RHello sent straight to the initiator's address: also opens our NAT towards it. */
    SEND_RHELLO,
    /** Answer with an empty Redirect, making the initiator send its IHello to us directly. */
    SEND_REDIRECT
}
