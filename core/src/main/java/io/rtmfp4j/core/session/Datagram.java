package io.rtmfp4j.core.session;

import java.net.InetSocketAddress;

/** One UDP datagram the endpoint wants sent, as the runtime takes it from {@link Endpoint#pollTransmit()}. */
public record Datagram(InetSocketAddress destination, byte[] data) {
}
