package io.rtmfp4j.flash.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses a client reports with {@code setPeerInfo} (spec §6.6 step 3): every address at
 * which peers might reach its endpoint, so the server can hand them out in introductions. Private
 * IPv4 addresses are included: they are how two peers behind one NAT reach each other. Loopback
 * addresses only make sense to a server on the same host, and link-local ones need a scope no one
 * else knows.
 */
final class LocalAddresses {
    private static final Logger log = LoggerFactory.getLogger(LocalAddresses.class);

    private LocalAddresses() {
    }

    /** What to report for sockets bound to {@code bound}, to a server at {@code server}. */
    static List<InetSocketAddress> toReport(List<InetSocketAddress> bound, InetSocketAddress server) {
        return toReport(bound, server, interfaceAddresses());
    }

    /**
     * Same, with the host's interface addresses given. A wildcard socket stands for every
     * interface address of its family; an IPv6 wildcard socket is dual stack (the runtime opens
     * it so, and sends IPv4 from it), so it stands for the IPv4 addresses too.
     */
    static List<InetSocketAddress> toReport(List<InetSocketAddress> bound, InetSocketAddress server,
            List<InetAddress> interfaces) {
        boolean serverOnLoopback = server.getAddress() != null && server.getAddress().isLoopbackAddress();
        Set<InetSocketAddress> out = new LinkedHashSet<>();
        for (InetSocketAddress b : bound) {
            InetAddress local = b.getAddress();
            List<InetAddress> candidates = new ArrayList<>();
            if (local.isAnyLocalAddress()) {
                boolean dualStack = local instanceof Inet6Address;
                for (InetAddress a : interfaces) {
                    if (dualStack || !(a instanceof Inet6Address)) {
                        candidates.add(a);
                    }
                }
            } else {
                candidates.add(local);
            }
            for (InetAddress a : candidates) {
                if (usable(a, serverOnLoopback)) {
                    out.add(new InetSocketAddress(a, b.getPort()));
                }
            }
        }
        return List.copyOf(out);
    }

    private static boolean usable(InetAddress a, boolean serverOnLoopback) {
        if (a.isLinkLocalAddress() || a.isMulticastAddress() || a.isAnyLocalAddress()) {
            return false;
        }
        return !a.isLoopbackAddress() || serverOnLoopback;
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp()) {
                    out.addAll(Collections.list(nif.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list network interfaces", e);
        }
        return out;
    }
}
