package io.rtmfp4j.server;

import io.rtmfp4j.runtime.UdpEndpoint;
import io.rtmfp4j.server.admin.AdminHttpServer;
import io.rtmfp4j.server.admin.ServerMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rendezvous server on real sockets: a {@link Rendezvous} on a {@link UdpEndpoint}, a once-a-second
 * tick, metrics, and the admin HTTP listener when configured.
 */
public final class RendezvousServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.server");
    /** How long clients get to acknowledge the server's Connect.Closed before it closes their sessions anyway. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(1);

    private final ServerConfig config;
    private final UdpEndpoint udp;
    private final Rendezvous rendezvous;
    private final ScheduledExecutorService ticker;
    private final ServerMetrics metrics;
    private final AdminHttpServer admin;
    private final io.rtmfp4j.core.session.EndpointStats endpointStats;
    private final long startedAtMillis = System.currentTimeMillis();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RendezvousServer(ServerConfig config) {
        this.config = config;
        this.udp = UdpEndpoint.bind(config.endpoint(), config.binds(), config.cryptoThreads(), config.receiveBuffer());
        try {
            this.rendezvous = udp.call(ep -> new Rendezvous(ep, config.rendezvous(), config.authenticator(),
                    config.directory())).join();
            this.endpointStats = udp.call(ep -> ep.stats()).join();
            this.metrics = new ServerMetrics(this);
            this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rtmfp-server-tick");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(() -> udp.execute(ep -> rendezvous.onTick(ep.now())), 1, 1, TimeUnit.SECONDS);
            this.admin = config.admin() == null ? null : AdminHttpServer.start(config.admin(), this, metrics);
        } catch (IOException e) {
            udp.close();
            throw new UncheckedIOException("cannot start the admin listener on " + config.admin() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            udp.close();
            throw e;
        }
    }

    /** Binds the sockets and starts serving. */
    public static RendezvousServer start(ServerConfig config) {
        return new RendezvousServer(config);
    }

    public ServerConfig config() {
        return config;
    }

    /** The bound UDP addresses, with the ports actually chosen. */
    public List<InetSocketAddress> localAddresses() {
        return udp.localAddresses();
    }

    /** The admin listener's address, or null when there is none. */
    public InetSocketAddress adminAddress() {
        return admin == null ? null : admin.address();
    }

    public String peerId() {
        return config.endpoint().identity().certificate().peerId();
    }

    public String transport() {
        return udp.transport();
    }

    /** The socket receive buffer the kernel granted, in bytes: less than {@link ServerConfig#receiveBuffer()} if capped. */
    public int receiveBufferBytes() {
        return udp.receiveBufferBytes();
    }

    /** Datagrams the kernel dropped because the receive buffer was full; empty where it does not say. */
    public OptionalLong kernelDrops() {
        return udp.kernelDrops();
    }

    public ServerStats stats() {
        return rendezvous.stats();
    }

    /** The endpoint's counters (drops by reason, datagrams, sessions); readable from any thread. */
    public io.rtmfp4j.core.session.EndpointStats endpointStats() {
        return endpointStats;
    }

    /** Group sizes by group ID, read on the loop. */
    public CompletableFuture<Map<String, Integer>> groupSizes() {
        return udp.call(ep -> rendezvous.groupSizes());
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    /**
     * Stops the admin listener, tells every connected client the server is shutting down
     * ({@code NetConnection.Connect.Closed}), waits up to {@link #SHUTDOWN_GRACE} for them to
     * acknowledge it, then closes every session and releases the sockets. Later calls do nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (admin != null) {
            admin.close();
        }
        ticker.shutdownNow();
        try {
            udp.call(ep -> rendezvous.shutdown("server shutting down")).thenCompose(drained -> drained)
                    .get(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.debug("some clients did not acknowledge the shutdown notice within {}", SHUTDOWN_GRACE);
        } catch (ExecutionException e) {
            log.warn("could not notify clients of the shutdown", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
        udp.close();
    }
}
