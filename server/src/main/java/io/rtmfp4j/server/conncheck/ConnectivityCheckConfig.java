package io.rtmfp4j.server.conncheck;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Where the connectivity check probes from (docs/nat.md, "nat-check"), as rtmfp-cpp's
 * {@code conncheck} takes them: a second port on the server's address, and optionally a second
 * address and a third one that peers' answers to an introduction go to.
 *
 * @param differentPort    port on the server's own address the first probe comes from
 * @param differentAddress another address of the server the second probe comes from, or null
 * @param intro            where the client is asked to answer a forwarded IHello, or null
 * @param introPublic      the address clients see for {@code intro} when it is translated, or null for {@code intro}
 * @param tries            how many times each probe is sent (one round-trip timeout apart)
 * @param offset           how far apart the three probes start
 */
public record ConnectivityCheckConfig(int differentPort, InetSocketAddress differentAddress, InetSocketAddress intro,
        InetSocketAddress introPublic, int tries, Duration offset) {

    /** rtmfp-cpp conncheck's defaults: 5 tries, 20 ms apart. */
    public static ConnectivityCheckConfig of(int differentPort, InetSocketAddress differentAddress,
            InetSocketAddress intro, InetSocketAddress introPublic) {
        return new ConnectivityCheckConfig(differentPort, differentAddress, intro, introPublic, 5,
                Duration.ofMillis(20));
    }

    public ConnectivityCheckConfig {
        if (differentPort < 0 || differentPort > 65535) {
            throw new IllegalArgumentException("the connectivity check port must be 0..65535");
        }
        if (tries < 1 || offset.isNegative()) {
            throw new IllegalArgumentException("probes need at least one try and a non-negative offset");
        }
        if (introPublic != null && intro == null) {
            throw new IllegalArgumentException("a public introduction address needs an introduction address");
        }
    }
}
