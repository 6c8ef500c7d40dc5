package io.rtmfp4j.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Addresses given on the command line: {@code ADDR}, {@code [v6]}, {@code HOST:PORT}, {@code [v6]:PORT}. */
final class SocketAddresses {
    private SocketAddresses() {
    }

    /** An address (a name is looked up once, here). */
    static InetAddress address(String text, String option) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": unknown host '" + text + "'");
        }
    }

    /** {@code HOST:PORT} with a port from {@code lowestPort} to 65535. */
    static InetSocketAddress parse(String text, String option, int lowestPort) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(option + " must be HOST:PORT, got '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": bad port in '" + text + "'");
        }
        if (port < lowestPort || port > 65535) {
            throw new IllegalArgumentException(option + " port must be " + lowestPort + "..65535 in '" + text + "'");
        }
        return new InetSocketAddress(address(text.substring(0, colon), option), port);
    }

    static List<InetSocketAddress> parseAll(List<String> texts, String option) {
        return texts.stream().map(t -> parse(t, option, 1)).toList();
    }
}
