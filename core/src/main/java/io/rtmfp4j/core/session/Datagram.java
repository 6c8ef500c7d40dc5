package io.rtmfp4j.core.session;

import java.net.InetSocketAddress;

/**
 * One UDP datagram the endpoint wants sent, as the runtime takes it from {@link Endpoint#pollTransmit()}.
 *
 * @param ecnCapable mark the datagram ECT(0) if the runtime can set the IP ECN field (spec §7.1)
 */
public record Datagram(InetSocketAddress destination, byte[] data, boolean ecnCapable) {
    public Datagram(InetSocketAddress destination, byte[] data) {
        this(destination, data, false);
    }
}
