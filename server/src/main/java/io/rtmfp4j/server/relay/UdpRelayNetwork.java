package io.rtmfp4j.server.relay;

import io.rtmfp4j.runtime.DatagramTunnel;
import io.rtmfp4j.runtime.RawUdpSocket;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Relay ports as UDP sockets on the server endpoint's loop, bound on the server's own addresses;
 * a peer that reaches the server through a TCP tunnel is reached through it here too.
 */
public final class UdpRelayNetwork implements RelayNetwork {
    private final UdpEndpoint udp;
    private final List<InetSocketAddress> binds;
    private final int firstPort;
    private final int lastPort;
    private final DatagramTunnel tunnel;
    private final Map<Integer, RawUdpSocket> sockets = new HashMap<>();
    /** Sockets written since the last flush: they flush once the burst that caused it is read. */
    private final Set<RawUdpSocket> unflushed = new LinkedHashSet<>();
    private int nextPort;
    private Relay relay;

    /**
     * @param binds  the server's bound addresses; a relay port is bound on the one of the client's family
     * @param tunnel the server's tunnels for clients without UDP, or null
     */
    public UdpRelayNetwork(UdpEndpoint udp, List<InetSocketAddress> binds, int firstPort, int lastPort,
            DatagramTunnel tunnel) {
        this.udp = udp;
        this.binds = List.copyOf(binds);
        this.firstPort = firstPort;
        this.lastPort = lastPort;
        this.nextPort = firstPort;
        this.tunnel = tunnel;
    }

    /** The relay that what arrives on the ports goes to; set once, before any port opens. */
    public void deliverTo(Relay r) {
        relay = r;
    }

    @Override
    public CompletableFuture<Integer> open(InetSocketAddress client) {
        InetSocketAddress local = bindFor(client);
        if (firstPort == 0) {
            return bind(new InetSocketAddress(local.getAddress(), 0));
        }
        return bindInRange(local, lastPort - firstPort + 1);
    }

    /** The next port of the range not in use; on a failure (taken by another program) the one after. */
    private CompletableFuture<Integer> bindInRange(InetSocketAddress local, int attemptsLeft) {
        while (attemptsLeft > 0 && sockets.containsKey(nextPort)) {
            advance();
            attemptsLeft--;
        }
        if (attemptsLeft == 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("no relay port is free"));
        }
        int port = nextPort;
        advance();
        int left = attemptsLeft - 1;
        return bind(new InetSocketAddress(local.getAddress(), port))
                .handle((p, e) -> e == null ? CompletableFuture.completedFuture(p) : bindInRange(local, left))
                .thenCompose(f -> f);
    }

    private void advance() {
        nextPort = nextPort == lastPort ? firstPort : nextPort + 1;
    }

    private CompletableFuture<Integer> bind(InetSocketAddress address) {
        return udp.bindRaw(address, new RawUdpSocket.Receiver() {
            @Override
            public void onDatagram(RawUdpSocket socket, InetSocketAddress from, byte[] data, int off, int len) {
                relay.receive(socket.localAddress().getPort(), from, data, off, len, udp.now());
            }

            @Override
            public void onReadComplete(RawUdpSocket socket) {
                flush();
            }
        }).thenApply(socket -> {
            int port = socket.localAddress().getPort();
            sockets.put(port, socket);
            return port;
        });
    }

    /** A bound address of the client's family (an IPv6 wildcard serves both); the first one otherwise. */
    private InetSocketAddress bindFor(InetSocketAddress client) {
        boolean v4 = client.getAddress() instanceof Inet4Address;
        for (InetSocketAddress b : binds) {
            if ((b.getAddress() instanceof Inet4Address) == v4) {
                return b;
            }
        }
        for (InetSocketAddress b : binds) {
            if (v4 && b.getAddress() instanceof Inet6Address && b.getAddress().isAnyLocalAddress()) {
                return b;
            }
        }
        return binds.get(0);
    }

    @Override
    public boolean send(int port, InetSocketAddress to, byte[] data, int off, int len) {
        RawUdpSocket socket = sockets.get(port);
        if (socket == null) {
            return false;
        }
        if (tunnel != null && tunnel.carries(to)) {
            byte[] copy = new byte[len];
            System.arraycopy(data, off, copy, 0, len);
            tunnel.send(socket.localAddress(), to, copy);
            return true;
        }
        if (!socket.isWritable()) {
            return false;
        }
        socket.write(to, data, off, len);
        unflushed.add(socket);
        return true;
    }

    /**
     * A datagram for relay port {@code port} that came another way than the port's socket (a
     * TCP tunnel), handed to the relay as if it had arrived there; what it causes is sent at once.
     */
    public void deliver(int port, InetSocketAddress from, byte[] data, int off, int len) {
        relay.receive(port, from, data, off, len, udp.now());
        flush();
    }

    /** Whether {@code port} is one of the relay's. */
    public boolean isRelayPort(int port) {
        return sockets.containsKey(port);
    }

    private void flush() {
        for (RawUdpSocket s : unflushed) {
            s.flush();
        }
        unflushed.clear();
    }

    @Override
    public void close(int port) {
        RawUdpSocket socket = sockets.remove(port);
        if (socket != null) {
            unflushed.remove(socket);
            socket.close();
        }
    }
}
