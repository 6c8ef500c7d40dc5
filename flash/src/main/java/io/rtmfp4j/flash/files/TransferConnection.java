package io.rtmfp4j.flash.files;

import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link NetConnection} on a UDP endpoint of its own whose flows advertise a receive window fit
 * for bulk transfer. The endpoint's default window (64 KiB) caps a flow at 64 KiB per round trip,
 * about 1.3 MB/s at 50 ms; {@link NetConnection.Builder} offers no way to change it, so the
 * endpoint is bound here and the connection {@linkplain NetConnection#on put on it}.
 */
public final class TransferConnection implements AutoCloseable {
    /** Each receiving flow's window: 4 MiB keeps 40 MB/s going at 100 ms. */
    public static final long RECEIVE_WINDOW = 4 << 20;

    private final UdpEndpoint udp;
    private final NetConnection nc;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TransferConnection(UdpEndpoint udp, NetConnection nc) {
        this.udp = udp;
        this.nc = nc;
    }

    /**
     * Binds {@code bind} and makes a connection on it, not yet connected.
     *
     * @param identity a fixed identity, or null for a fresh one
     * @param nickname the name to register with the server's presence service, or null
     */
    public static TransferConnection bind(InetSocketAddress bind, PeerIdentity identity, String nickname) {
        PeerIdentity id = identity != null ? identity : PeerIdentity.newFlashClient(new SecureRandom());
        UdpEndpoint udp = UdpEndpoint.bind(EndpointConfig.builder(id).receiveBufferCapacity(RECEIVE_WINDOW).build(),
                List.of(bind), 1);
        try {
            return new TransferConnection(udp, NetConnection.on(udp, null, nickname));
        } catch (RuntimeException e) {
            udp.close();
            throw e;
        }
    }

    public NetConnection net() {
        return nc;
    }

    /**
     * Closes the connection, then the endpoint (the loop runs the connection's close first). Only
     * the first call acts, so a shutdown hook may call it too.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            nc.close();
            udp.close();
        }
    }
}
