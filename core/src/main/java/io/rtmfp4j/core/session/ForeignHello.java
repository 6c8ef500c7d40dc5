package io.rtmfp4j.core.session;

import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import java.net.InetSocketAddress;

/**
 * An IHello whose endpoint discriminator does not select this endpoint (RFC 7016 §3.5.1.4).
 * An introducer (the rendezvous server) answers it with a Redirect to the initiator and a
 * forwarded IHello to the target; see {@link Endpoint#sendRedirect} and {@link Session#forwardHello}.
 *
 * @param epd    the discriminator the initiator is looking for
 * @param rawEpd its bytes as received, to forward verbatim
 * @param tag    the initiator's tag, to echo and forward verbatim
 * @param source the initiator's address as observed here
 * @param requestSize the size of the datagram that carried the IHello, which bounds the answer's size
 *                    (see {@link Endpoint#sendRedirect})
 */
public record ForeignHello(EndpointDiscriminator epd, byte[] rawEpd, byte[] tag, InetSocketAddress source,
        int requestSize) {
}
