package io.rtmfp4j.cli;

import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.PeerPath;
import io.rtmfp4j.flash.net.RelayPolicy;
import io.rtmfp4j.flash.net.Transport;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How a peer command reaches its server and its peer (docs/nat.md): UDP or a TCP tunnel, directly
 * or through the server's relay. Shared by chat, send, receive and stream.
 */
final class ReachOptions {
    @Option(names = "--transport", paramLabel = "auto|udp|tcp", defaultValue = "auto", converter = TransportName.class,
            description = "How to reach the server: udp, tcp (a WebSocket tunnel; peers then through the server's "
                    + "relay), or auto: UDP, and the tunnel when UDP gets no answer within 3 s (default: ${DEFAULT-VALUE}).")
    Transport transport = Transport.AUTO;

    @Option(names = "--tunnel", paramLabel = "URL",
            description = "The server's tunnel for --transport tcp or auto: ws://host:port/rtmfp or wss://... "
                    + "(default: ws:// the server's address and port, /rtmfp).")
    URI tunnel;

    @Option(names = "--relay", paramLabel = "auto|never|always", defaultValue = "auto", converter = RelayName.class,
            description = "When to reach a peer through the server's relay: auto (when no direct session opens "
                    + "within 3 s), never, or always (default: ${DEFAULT-VALUE}).")
    RelayPolicy relay = RelayPolicy.AUTO;

    /** The builder with these choices applied. */
    NetConnection.Builder apply(NetConnection.Builder builder) {
        builder.transport(transport).relay(relay);
        if (tunnel != null) {
            try {
                builder.tunnel(tunnel);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--tunnel: " + e.getMessage());
            }
        }
        return builder;
    }

    /** Checks the choices with the builder's own rules; throws IllegalArgumentException with the reason. */
    void validate() {
        apply(NetConnection.builder());
    }

    /**
     * Whether the session to {@code peerId} goes through the server's relay; empty if there is none.
     * Blocks for an answer from the connection's loop: not for callbacks that run on it.
     */
    static Optional<Boolean> relayed(NetConnection nc, String peerId) {
        try {
            return nc.peerPath(peerId).get(5, TimeUnit.SECONDS).map(PeerPath::relayed);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** What a line about a peer adds when the session to it goes through the server's relay. */
    static String via(boolean relayed) {
        return relayed ? " (relayed through the server)" : "";
    }

    /** Whether the connection talks to its server through the TCP tunnel. */
    static boolean overTcp(NetConnection nc) {
        try {
            return nc.transport().get(5, TimeUnit.SECONDS) == Transport.TCP;
        } catch (Exception e) {
            return false;
        }
    }

    static final class TransportName implements CommandLine.ITypeConverter<Transport> {
        @Override
        public Transport convert(String value) {
            return parse(Transport.class, value, "auto, udp or tcp");
        }
    }

    static final class RelayName implements CommandLine.ITypeConverter<RelayPolicy> {
        @Override
        public RelayPolicy convert(String value) {
            return parse(RelayPolicy.class, value, "auto, never or always");
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String expected) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not one of " + expected);
        }
    }
}
