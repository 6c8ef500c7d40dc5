package io.rtmfp4j.flash.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address strings of {@code setPeerInfo} (spec §6.6): {@code "192.168.1.10:50123"} or
 * {@code "[2001:db8::5]:50123"}. Only IP literals are accepted: a client must never make the server
 * resolve a name. The same form is how the server writes addresses in its logs.
 */
public final class PeerAddresses {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):(\\d{1,5})");
    private static final Pattern IPV6 = Pattern.compile("\\[([0-9A-Fa-f:.]{2,45})(?:%[^\\]]{0,32})?]:(\\d{1,5})");

    private PeerAddresses() {
    }

    /**
     * The string form {@link #parse} reads: {@code 192.168.1.10:50123}, {@code [2001:db8::5]:50123}.
     * An IPv6 scope ({@code %eth0}) is left out: it names an interface of this host, meaningless to
     * anyone else.
     */
    public static String format(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The address a {@code setPeerInfo} string names, if it is an IP literal with a usable port. */
    public static Optional<InetSocketAddress> parse(String text) {
        Matcher m = IPV4.matcher(text);
        if (m.matches()) {
            for (String octet : m.group(1).split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    // Not a literal: InetAddress would take it for a host name and look it up.
                    return Optional.empty();
                }
            }
        } else {
            m = IPV6.matcher(text);
            if (!m.matches()) {
                return Optional.empty();
            }
        }
        int port = Integer.parseInt(m.group(2));
        if (port == 0 || port > 65535) {
            return Optional.empty();
        }
        try {
            // Both patterns admit only literals, so this parses without any lookup.
            InetAddress address = InetAddress.getByName(m.group(1));
            if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
                return Optional.empty();
            }
            return Optional.of(new InetSocketAddress(address, port));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
