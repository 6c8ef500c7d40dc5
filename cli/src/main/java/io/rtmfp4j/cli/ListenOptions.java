package io.rtmfp4j.cli;

import java.net.InetSocketAddress;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where {@code rtmfp server} and {@code rtmfp redirector} listen: UDP addresses and one port. */
final class ListenOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--bind", split = ",", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Local address(es) to listen on, comma-separated (default: ${DEFAULT-VALUE}, every address: "
                    + "where the system has IPv6 it opens one dual-stack socket, shown as [::], that takes IPv4 and "
                    + "IPv6 alike; 127.0.0.1 or ::1 for this machine only).")
    List<String> bind;

    @Option(names = "--port", paramLabel = "P", defaultValue = "1935",
            description = "UDP port (default: ${DEFAULT-VALUE}).")
    int port;

    /** The addresses to bind, with the port. */
    List<InetSocketAddress> binds() {
        if (port < 0 || port > 65535) {
            throw new ParameterException(mixee.commandLine(), "--port must be 0..65535, got " + port);
        }
        return bind.stream().map(b -> new InetSocketAddress(SocketAddresses.address(mixee.commandLine(), b, "--bind"), port)).toList();
    }
}
