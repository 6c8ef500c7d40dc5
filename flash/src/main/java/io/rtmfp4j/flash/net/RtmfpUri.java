package io.rtmfp4j.flash.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code rtmfp://host[:port][/app...]} address as people write it; the port defaults to 1935.
 *
 * @param text  the URI as given, used as the ancillary data of the endpoint discriminator
 * @param host  host name or literal address (IPv6 without brackets)
 * @param port  UDP port
 */
public record RtmfpUri(String text, String host, int port) {
    public static final int DEFAULT_PORT = 1935;

    public static RtmfpUri parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URI: " + text);
        }
        if (!"rtmfp".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("expected an rtmfp:// URI, got: " + text);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + text);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        return new RtmfpUri(text, host, port);
    }

    /** Every address the host name resolves to, with the port: the session's candidate addresses. */
    public List<InetSocketAddress> resolve() throws UnknownHostException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : InetAddress.getAllByName(host)) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }
}
