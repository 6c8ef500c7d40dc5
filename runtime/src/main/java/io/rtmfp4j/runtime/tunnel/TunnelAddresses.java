package io.rtmfp4j.runtime.tunnel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The addresses a server gives the clients it reaches through TCP tunnels, so its RTMFP endpoint
 * can tell them apart like UDP peers: IPv6 addresses in {@code 100::/64}, the discard-only prefix
 * (RFC 6666), which no real packet comes from. The low 64 bits are the client's IPv4 address, or
 * the /64 of its IPv6 one, so limits per IP address (the handshake rate) still count a client's
 * tunnels together; the port numbers the client's tunnels.
 */
public final class TunnelAddresses {
    private TunnelAddresses() {
    }

    /** Whether {@code a} is a tunnel address, not one UDP could reach. */
    public static boolean isTunnel(InetSocketAddress a) {
        if (!(a.getAddress() instanceof Inet6Address v6)) {
            return false;
        }
        byte[] b = v6.getAddress();
        if (b[0] != 0x01) {
            return false;
        }
        for (int i = 1; i < 8; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The tunnel address of the {@code number}th tunnel (1..65535) of a client at {@code remote}. */
    static InetSocketAddress of(InetAddress remote, int number) {
        byte[] b = new byte[16];
        b[0] = 0x01;
        byte[] r = remote.getAddress();
        if (remote instanceof Inet4Address) {
            System.arraycopy(r, 0, b, 12, 4);
        } else {
            System.arraycopy(r, 0, b, 8, 8);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(b), number);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes always make an IPv6 address", e);
        }
    }
}
