package io.rtmfp4j.cli;

import io.rtmfp4j.server.ReachConfig;
import io.rtmfp4j.server.conncheck.ConnectivityCheckConfig;
import io.rtmfp4j.server.relay.RelaySettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code rtmfp server}'s options for the relay, the TCP tunnel and the connectivity check (docs/nat.md). */
final class ServerReachOptions {
    @Option(names = "--relay", paramLabel = "on|off", defaultValue = "on",
            description = "Relay datagrams between connected clients that cannot reach each other directly "
                    + "(default: ${DEFAULT-VALUE}).")
    String relay = "on";

    @Option(names = "--relay-max", paramLabel = "N", defaultValue = "1000",
            description = "Relayed pairs of peers at once, in all (default: ${DEFAULT-VALUE}).")
    int relayMax = 1000;

    @Option(names = "--relay-per-client", paramLabel = "N", defaultValue = "8",
            description = "Relayed peers one client may have at once (default: ${DEFAULT-VALUE}).")
    int relayPerClient = 8;

    @Option(names = "--relay-kbps", paramLabel = "KBIT/S", defaultValue = "16000",
            description = "What one client may send through the relay, in kilobits per second (default: ${DEFAULT-VALUE}).")
    long relayKbps = 16000;

    @Option(names = "--relay-lifetime", paramLabel = "DURATION", defaultValue = "1h", converter = Durations.class,
            description = "A relay ends this long after it was made (default: ${DEFAULT-VALUE}).")
    Duration relayLifetime = Duration.ofHours(1);

    @Option(names = "--relay-idle", paramLabel = "DURATION", defaultValue = "60s", converter = Durations.class,
            description = "A relay nothing went through for this long ends (default: ${DEFAULT-VALUE}).")
    Duration relayIdle = Duration.ofSeconds(60);

    @Option(names = "--relay-ports", paramLabel = "FIRST-LAST",
            description = "UDP ports relays may use, for a firewall that must let them in (default: any free port).")
    String relayPorts;

    @Option(names = "--tcp", paramLabel = "ADDR:PORT|off",
            description = "WebSocket (TCP) listener for clients whose UDP is blocked: their datagrams come through it "
                    + "and their peers reach them through the relay (default: TCP on the first --bind address and "
                    + "the UDP port; 'off' for none).")
    String tcp;

    @Option(names = "--conncheck", paramLabel = "PORT",
            description = "Check every client's NAT as rtmfp-cpp's conncheck does: probes from this second port of the "
                    + "server's address (0: any), answered with NetConnection.ConnectivityCheck.Results; used by "
                    + "'rtmfp nat-check'.")
    Integer conncheck;

    @Option(names = "--conncheck-address", paramLabel = "ADDR:PORT",
            description = "With --conncheck: a second address of this host to probe from as well.")
    String conncheckAddress;

    @Option(names = "--conncheck-intro", paramLabel = "ADDR:PORT",
            description = "With --conncheck: a third address clients are introduced to (mapping behaviour).")
    String conncheckIntro;

    @Option(names = "--conncheck-intro-public", paramLabel = "ADDR:PORT",
            description = "With --conncheck-intro: the address clients see for it when it is translated.")
    String conncheckIntroPublic;

    /** Reads {@code ADDR:PORT} for an option, as the command does for all of its. */
    interface AddressParser {
        InetSocketAddress parse(String text, String option);
    }

    /** What these options ask for, for a server bound on {@code binds}; IllegalArgumentException says what is wrong. */
    ReachConfig toConfig(List<InetSocketAddress> binds, AddressParser addresses) {
        return new ReachConfig(relaySettings(), tunnelAddress(binds, addresses), connectivityCheck(addresses));
    }

    private RelaySettings relaySettings() {
        if (relay.equalsIgnoreCase("off")) {
            return RelaySettings.OFF;
        }
        if (!relay.equalsIgnoreCase("on")) {
            throw new IllegalArgumentException("--relay is on or off, not '" + relay + "'");
        }
        if (relayMax < 1 || relayPerClient < 1 || relayKbps < 1) {
            throw new IllegalArgumentException("--relay-max, --relay-per-client and --relay-kbps must be positive");
        }
        int first = 0;
        int last = 0;
        if (relayPorts != null) {
            String[] range = relayPorts.split("-", 2);
            try {
                first = Integer.parseInt(range[0].trim());
                last = range.length == 2 ? Integer.parseInt(range[1].trim()) : first;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--relay-ports is FIRST-LAST, not '" + relayPorts + "'");
            }
            if (first < 1 || last > 65535 || last < first) {
                throw new IllegalArgumentException("--relay-ports must be a range within 1-65535, not '" + relayPorts + "'");
            }
        }
        return RelaySettings.DEFAULTS.withLimits(relayMax, relayPerClient, relayKbps * 1000 / 8)
                .withTimes(relayLifetime, relayIdle).withPorts(first, last);
    }

    private InetSocketAddress tunnelAddress(List<InetSocketAddress> binds, AddressParser addresses) {
        if (tcp == null) {
            return binds.get(0);
        }
        return tcp.equalsIgnoreCase("off") ? null : addresses.parse(tcp, "--tcp");
    }

    private ConnectivityCheckConfig connectivityCheck(AddressParser addresses) {
        if (conncheck == null) {
            if (conncheckAddress != null || conncheckIntro != null || conncheckIntroPublic != null) {
                throw new IllegalArgumentException("--conncheck-address and --conncheck-intro need --conncheck PORT");
            }
            return null;
        }
        try {
            return ConnectivityCheckConfig.of(conncheck,
                    conncheckAddress == null ? null : addresses.parse(conncheckAddress, "--conncheck-address"),
                    conncheckIntro == null ? null : addresses.parse(conncheckIntro, "--conncheck-intro"),
                    conncheckIntroPublic == null ? null
                            : addresses.parse(conncheckIntroPublic, "--conncheck-intro-public"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--conncheck: " + e.getMessage());
        }
    }

    /** Whether the tunnel listens where it does by default, nobody having chosen its address. */
    boolean tunnelByDefault() {
        return tcp == null;
    }

    /** How the log line describes the relay and the tunnel. */
    static String describe(ReachConfig reach, String tunnel) {
        RelaySettings r = reach.relay();
        String relay = r.enabled() ? "relay on (" + r.maxPerClient() + " per client, " + r.bytesPerSecond() * 8 / 1000
                + " kbit/s each)" : "relay off";
        return relay + ", TCP tunnel " + (tunnel == null ? "off" : tunnel)
                + (reach.conncheck() == null ? "" : ", connectivity check on");
    }
}
