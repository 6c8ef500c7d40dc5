package io.rtmfp4j.server;

import java.net.InetSocketAddress;

/** The TCP tunnel listener could not listen where it was asked to (the port is taken, say); the cause says why. */
public final class TunnelBindException extends RuntimeException {
    public TunnelBindException(InetSocketAddress address, Throwable cause) {
        super("cannot listen on TCP " + address + " for the tunnel", cause);
    }
}
