package io.rtmfp4j.cli;

import io.rtmfp4j.bench.ConnectLoad;
import io.rtmfp4j.server.RendezvousServer;
import io.rtmfp4j.server.ServerConfig;
import io.rtmfp4j.server.directory.InMemoryPeerDirectory;
import io.rtmfp4j.server.auth.Authenticator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Runs the connect path before a server takes its first client (docs/warmup.md). A fresh JVM
 * interprets the handshake and connect code and compiles it as it first runs it, which more than
 * doubles the CPU of its first few thousand connects. Here a server configured like the real one
 * (identity, DH groups, key reuse, settings) takes connects from clients in this process over
 * loopback UDP, through the same sockets, event loops and crypto threads, before the real sockets
 * are bound; real clients then meet compiled code. It costs startup time instead.
 */
final class ServerWarmup {
    /** Clients with a socket each at once: few enough for any file-descriptor limit. */
    private static final int BATCH = 500;
    private static final int CONCURRENCY = 8;

    private ServerWarmup() {
    }

    /**
     * {@code connects} connects to a loopback server configured like {@code real}, with open access,
     * its own directory and no admin listener.
     *
     * @return how many connected
     */
    static int run(ServerConfig real, int connects) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        ServerConfig cfg = new ServerConfig(real.endpoint(), List.of(loopback), real.cryptoThreads(), real.rendezvous(),
                Authenticator.open(), new InMemoryPeerDirectory(), null, real.receiveBuffer());
        int connected = 0;
        try (RendezvousServer server = RendezvousServer.start(cfg)) {
            InetSocketAddress at = server.localAddresses().get(0);
            String uri = "rtmfp://127.0.0.1:" + at.getPort() + "/warmup";
            for (int done = 0; done < connects; done += BATCH) {
                try (ConnectLoad load = ConnectLoad.open(uri, at, done, Math.min(BATCH, connects - done))) {
                    connected += load.connectAll(CONCURRENCY, Duration.ofMinutes(1)).connected();
                }
            }
        }
        return connected;
    }
}
