package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IP multicast address of a groupspec (option 0x0a, netgroup spec §3.1): the multicast group
 * and UDP port, optionally with the source of a source-specific group.
 *
 * <p>Only IP literals are accepted, never host names: building a groupspec must not make a DNS
 * lookup.
 *
 * @param group the multicast group address and port
 * @param source the sender of a source-specific group, of the same family as the group
 */
public record IpMulticastAddress(InetSocketAddress group, Optional<InetAddress> source) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern WITH_PORT = Pattern.compile("(?:\\[([^\\]]*)]|([^:]*)):(\\d{1,5})");

    public IpMulticastAddress {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(source, "source");
        if (group.isUnresolved() || !group.getAddress().isMulticastAddress()) {
            throw new GroupSpecException("not an IP multicast address: " + group);
        }
        if (group.getPort() == 0) {
            throw new GroupSpecException("an IP multicast address needs a port: " + group);
        }
        if (source.isPresent() && source.get().getAddress().length != group.getAddress().getAddress().length) {
            throw new GroupSpecException("source " + source.get() + " is not of the family of " + group);
        }
    }

    /**
     * An address in Flash's one-string form: {@code "224.0.0.254:30000"} or {@code "[ff0e::1]:30000"}.
     *
     * @throws GroupSpecException if it is not an IP multicast literal with a port
     */
    public static IpMulticastAddress parse(String addressAndPort) {
        Matcher m = WITH_PORT.matcher(addressAndPort);
        if (!m.matches()) {
            throw new GroupSpecException("expected address:port or [IPv6]:port, got \"" + addressAndPort + "\"");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        return of(host, Integer.parseInt(m.group(3)), null);
    }

    /**
     * An address from its parts.
     *
     * @param address an IPv4 or IPv6 literal
     * @param port 1 to 65535
     * @param source the sender's literal address for a source-specific group, or null
     * @throws GroupSpecException if an argument is not what it should be
     */
    public static IpMulticastAddress of(String address, int port, String source) {
        if (port < 1 || port > 65535) {
            throw new GroupSpecException("port out of range 1-65535: " + port);
        }
        return new IpMulticastAddress(new InetSocketAddress(literal(address), port),
                Optional.ofNullable(source).map(IpMulticastAddress::literal));
    }

    private static InetAddress literal(String text) {
        boolean v4 = IPV4.matcher(text).matches();
        if (v4) {
            for (String octet : text.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    v4 = false;
                }
            }
        }
        // A string with a colon is never taken for a host name, so neither form can cause a lookup.
        if (!v4 && !IPV6.matcher(text).matches()) {
            throw new GroupSpecException("not an IP address literal: \"" + text + "\"");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new GroupSpecException("not an IP address literal: \"" + text + "\"");
        }
    }

    /** The option value: address, port, then the source if any (4 + 2 [+ 4] or 16 + 2 [+ 16] bytes). */
    public byte[] encode() {
        ByteWriter w = new ByteWriter(34);
        w.bytes(group.getAddress().getAddress()).u16(group.getPort());
        source.ifPresent(s -> w.bytes(s.getAddress()));
        return w.toByteArray();
    }

    /**
     * Reads an option value of 6 or 18 bytes, or 10 or 34 with a source (spec §3.1).
     *
     * @throws GroupSpecException for any other length or an address that is not multicast
     */
    public static IpMulticastAddress decode(byte[] value) {
        int ipLength = switch (value.length) {
            case 6, 10 -> 4;
            case 18, 34 -> 16;
            default -> throw new GroupSpecException("an IP multicast address option is 6, 10, 18 or 34 bytes, got "
                    + value.length);
        };
        try {
            ByteReader r = new ByteReader(value);
            InetAddress group = address(r.bytes(ipLength));
            int port = r.u16();
            Optional<InetAddress> source = r.hasRemaining() ? Optional.of(address(r.rest())) : Optional.empty();
            return new IpMulticastAddress(new InetSocketAddress(group, port), source);
        } catch (WireFormatException | UnknownHostException e) {
            throw new GroupSpecException("malformed IP multicast address option: " + e.getMessage());
        }
    }

    /** Raw bytes to an address without any lookup; 16 bytes stay IPv6 even when IPv4-mapped. */
    private static InetAddress address(byte[] raw) throws UnknownHostException {
        return raw.length == 16 ? Inet6Address.getByAddress(null, raw, -1) : Inet4Address.getByAddress(raw);
    }
}
