package io.rtmfp4j.core.wire;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An address as carried in Redirect and FIHello chunks (RFC 7016 §2.1.5): a flags byte (0x80 =
 * IPv6, low two bits = origin), 4 or 16 address bytes, and a 16-bit port.
 *
 * <p>The socket address is always resolved: it is built from raw bytes and never causes a name
 * lookup, which would block the protocol thread and leak information.
 */
public record Address(InetSocketAddress socketAddress, Origin origin) {

    /** Flags bit meaning a 16-byte IPv6 address follows (RFC 7016 §2.1.5). */
    public static final int FLAG_IPV6 = 0x80;
    /** Flags bits carrying the {@link Origin}. The rest (0x7c) is reserved and ignored. */
    public static final int ORIGIN_MASK = 0x03;

    /** Where the sender learned the address (RFC 7016 §2.1.5). */
    public enum Origin {
        UNKNOWN(0),
        /** Reported by the endpoint itself (a local interface address). */
        REPORTED(1),
        /** Observed by the sender as the packet source (the public address behind a NAT). */
        OBSERVED(2),
        /** A relay or proxy. */
        RELAY(3);

        private final int code;

        Origin(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        private static final Origin[] BY_CODE = values();

        public static Origin fromCode(int code) {
            return BY_CODE[code & ORIGIN_MASK];
        }
    }

    public Address {
        Objects.requireNonNull(socketAddress, "socketAddress");
        Objects.requireNonNull(origin, "origin");
        if (socketAddress.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + socketAddress);
        }
    }

    public int encodedSize() {
        return socketAddress.getAddress() instanceof Inet6Address ? 1 + 16 + 2 : 1 + 4 + 2;
    }

    public void encode(ByteWriter w) {
        InetAddress ip = socketAddress.getAddress();
        int flags = origin.code() | (ip instanceof Inet6Address ? FLAG_IPV6 : 0);
        w.u8(flags).bytes(ip.getAddress()).u16(socketAddress.getPort());
    }

    public static Address decode(ByteReader r) {
        int flags = r.u8();
        boolean v6 = (flags & FLAG_IPV6) != 0;
        byte[] raw = r.bytes(v6 ? 16 : 4);
        int port = r.u16();
        return new Address(new InetSocketAddress(toInetAddress(raw), port), Origin.fromCode(flags));
    }

    /**
     * Bytes to an address without any lookup. IPv6 goes through {@link Inet6Address} directly so
     * an IPv4-mapped IPv6 address stays IPv6 and re-encodes to the same 16 bytes.
     */
    private static InetAddress toInetAddress(byte[] raw) {
        try {
            return raw.length == 16 ? Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
        } catch (UnknownHostException impossible) {
            throw new AssertionError("length is 4 or 16", impossible);
        }
    }
}
