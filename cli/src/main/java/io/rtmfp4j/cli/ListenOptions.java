package io.rtmfp4j.cli;

import java.net.InetSocketAddress;
import java.util.List;
import picocli.CommandLine.Option;

/** Where {@code rtmfp server} and {@code rtmfp redirector} listen: UDP addresses and one port. */
final class ListenOptions {
    @Option(names = "--bind", split = ",", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Local address(es) to listen on, comma-separated; :: for IPv6 (default: ${DEFAULT-VALUE}).")
    List<String> bind;

    @Option(names = "--port", paramLabel = "P", defaultValue = "1935",
            description = "UDP port (default: ${DEFAULT-VALUE}).")
    int port;

    /** The addresses to bind, with the port. */
    List<InetSocketAddress> binds() {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        }
        return bind.stream().map(b -> new InetSocketAddress(SocketAddresses.address(b, "--bind"), port)).toList();
    }
}
