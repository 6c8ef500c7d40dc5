package io.rtmfp4j.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Addresses given on the command line: {@code ADDR}, {@code [v6]}, {@code HOST:PORT}, {@code [v6]:PORT}.
 * What does not parse is misuse of {@code cl}'s command.
 */
final class SocketAddresses {
    private SocketAddresses() {
    }

    /** An address (a name is looked up once, here). */
    static InetAddress address(CommandLine cl, String text, String option) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new ParameterException(cl, option + ": unknown host '" + text + "'");
        }
    }

    /** {@code HOST:PORT} with a port from {@code lowestPort} to 65535. */
    static InetSocketAddress parse(CommandLine cl, String text, String option, int lowestPort) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new ParameterException(cl, option + " must be HOST:PORT, got '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ParameterException(cl, option + ": bad port in '" + text + "'");
        }
        if (port < lowestPort || port > 65535) {
            throw new ParameterException(cl, option + " port must be " + lowestPort + "..65535 in '" + text + "'");
        }
        return new InetSocketAddress(address(cl, text.substring(0, colon), option), port);
    }

    static List<InetSocketAddress> parseAll(CommandLine cl, List<String> texts, String option) {
        return texts.stream().map(t -> parse(cl, t, option, 1)).toList();
    }
}
