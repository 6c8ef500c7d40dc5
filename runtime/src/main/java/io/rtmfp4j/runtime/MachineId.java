package io.rtmfp4j.runtime;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives Netty a random machine ID before it makes its first channel.
 *
 * <p>Netty builds every channel's ID from a machine ID, by default the best hardware (MAC)
 * address of the host, and warns on the log when there is none, as in a container or network
 * namespace with only loopback. Nothing here uses channel IDs beyond Netty's own logs, so random
 * bytes, which is what Netty then falls back to, serve as well everywhere: the warning goes, and
 * no channel ID carries the host's MAC address. A machine ID the user set
 * ({@code -Dio.netty.machineId=...}) is left alone.
 */
final class MachineId {
    static final String PROPERTY = "io.netty.machineId";
    /** Netty's length for a machine ID: an EUI-64. */
    private static final int LENGTH = 8;

    private MachineId() {
    }

    static void install() {
        if (System.getProperty(PROPERTY) == null) {
            byte[] id = new byte[LENGTH];
            ThreadLocalRandom.current().nextBytes(id);
            System.setProperty(PROPERTY, HexFormat.ofDelimiter(":").formatHex(id));
        }
    }
}
