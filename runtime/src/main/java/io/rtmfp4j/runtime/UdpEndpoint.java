package io.rtmfp4j.runtime;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.CryptoOffload;
import io.rtmfp4j.core.session.Datagram;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.Session;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one sans-IO {@link Endpoint} on real UDP sockets: a Netty event loop of one thread owns the
 * endpoint, feeds it datagrams, sends what it produces and arms a single timer at its
 * {@link Endpoint#nextDeadline()}. Diffie-Hellman work runs on a small worker pool so the loop
 * keeps serving established sessions while handshakes are computed.
 *
 * <p>Native epoll is used where available (Linux), NIO otherwise. Several local addresses may be
 * bound (IPv4 and IPv6); each datagram goes out of a socket of its destination's family.
 *
 * <p>The endpoint must only be touched on the loop: use {@link #call} or {@link #execute}.
 */
public final class UdpEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpEndpoint.class);
    /** Datagrams larger than this are not RTMFP (spec §1.7: receive up to 8192 bytes). */
    private static final int RECEIVE_BUFFER = 8192;

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final ExecutorService cryptoPool;
    private final Endpoint endpoint;
    private final List<Channel> channels = new ArrayList<>();
    private final long originNanos = System.nanoTime();
    private final byte[] receiveBuffer = new byte[RECEIVE_BUFFER];
    private final String transport;
    private ScheduledFuture<?> timer;
    private long timerDeadline = Long.MAX_VALUE;
    private volatile boolean closed;

    private UdpEndpoint(EndpointConfig config, List<InetSocketAddress> binds, int cryptoThreads) {
        boolean epoll = Epoll.isAvailable();
        transport = epoll ? "epoll" : "nio";
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("rtmfp-loop", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        loop = group.next();
        cryptoPool = Executors.newFixedThreadPool(cryptoThreads, new DefaultThreadFactory("rtmfp-crypto", true));
        endpoint = new Endpoint(config, new SecureRandom(), new PoolOffload());
        try {
            for (InetSocketAddress bind : binds) {
                Bootstrap b = new Bootstrap()
                        .group(group)
                        .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                        .option(ChannelOption.SO_RCVBUF, 4 << 20)
                        .option(ChannelOption.SO_SNDBUF, 4 << 20)
                        // Netty's default 2 KiB would truncate large startup packets (spec §1.7).
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
                        .handler(new Inbound());
                channels.add(b.bind(bind).sync().channel());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while binding", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Binds the given local addresses (port 0 picks a free port) and starts serving.
     *
     * @param cryptoThreads worker threads for Diffie-Hellman; at least 1
     */
    public static UdpEndpoint bind(EndpointConfig config, List<InetSocketAddress> binds, int cryptoThreads) {
        if (binds.isEmpty()) {
            throw new IllegalArgumentException("at least one local address to bind is required");
        }
        if (cryptoThreads < 1) {
            throw new IllegalArgumentException("cryptoThreads must be at least 1");
        }
        return new UdpEndpoint(config, List.copyOf(binds), cryptoThreads);
    }

    /** Binds with one crypto worker per available processor. */
    public static UdpEndpoint bind(EndpointConfig config, InetSocketAddress bind) {
        return bind(config, List.of(bind), Runtime.getRuntime().availableProcessors());
    }

    /** "epoll" or "nio". */
    public String transport() {
        return transport;
    }

    /** The bound local addresses, with the ports actually chosen. */
    public List<InetSocketAddress> localAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : channels) {
            out.add((InetSocketAddress) c.localAddress());
        }
        return out;
    }

    /** Microseconds on this runtime's monotonic clock. */
    public long now() {
        return (System.nanoTime() - originNanos) / 1000;
    }

    /** Runs {@code action} on the loop with the endpoint, then sends its output. */
    public void execute(Consumer<Endpoint> action) {
        call(e -> {
            action.accept(e);
            return null;
        }).whenComplete((ignored, error) -> {
            if (error != null && !(error instanceof IllegalStateException && closed)) {
                log.warn("an action run on the endpoint loop failed", error);
            }
        });
    }

    /**
     * Runs {@code action} on the loop and completes with its result, or exceptionally with what it
     * threw (an {@link IllegalStateException} once the endpoint is closed). Output and timers are
     * brought up to date afterwards either way.
     */
    public <T> CompletableFuture<T> call(Function<Endpoint, T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed) {
                result.completeExceptionally(new IllegalStateException("endpoint is closed"));
                return;
            }
            try {
                // Deadlines the action sets (a write's finish-by, say) count from the real now.
                endpoint.advanceClock(now());
                result.complete(action.apply(endpoint));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                afterEvent();
            }
        });
        return result;
    }

    /** Sets the endpoint's listener; its methods are called on the loop thread. */
    public void setListener(EndpointListener listener) {
        execute(e -> e.setListener(listener));
    }

    /** Opens or reuses a session to the endpoint {@code epd} selects, trying the candidate addresses. */
    public CompletableFuture<Session> connect(EndpointDiscriminator epd, Collection<InetSocketAddress> candidates) {
        CompletableFuture<Session> result = new CompletableFuture<>();
        List<InetSocketAddress> copy = List.copyOf(candidates);
        execute(e -> e.connect(epd, copy, now(), new ConnectListener() {
            @Override
            public void onOpen(Session session) {
                result.complete(session);
            }

            @Override
            public void onFailure(CloseReason reason) {
                result.completeExceptionally(new SessionFailedException(reason));
            }
        }));
        return result;
    }

    /** Closes every session abruptly, sends the last datagrams and releases sockets and threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!channels.isEmpty()) {
            try {
                loop.submit(() -> {
                    endpoint.shutdown(now());
                    afterEvent();
                    closed = true;
                }).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("shutdown of the endpoint did not finish cleanly", e);
            }
        }
        closed = true;
        for (Channel c : channels) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        cryptoPool.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- loop side

    /** Sends everything the endpoint queued and re-arms the timer: done after every event. */
    private void afterEvent() {
        flushOutput();
        armTimer();
    }

    private void flushOutput() {
        Datagram d;
        boolean wrote = false;
        while ((d = endpoint.pollTransmit()) != null) {
            Channel c = channelFor(d.destination());
            if (c == null) {
                log.debug("no local socket can reach {}; datagram not sent", d.destination());
                continue;
            }
            ByteBuf buf = Unpooled.wrappedBuffer(d.data());
            c.write(new DatagramPacket(buf, d.destination()), c.voidPromise());
            wrote = true;
        }
        if (wrote) {
            for (Channel c : channels) {
                c.flush();
            }
        }
    }

    /** A socket of the destination's family; an IPv6 wildcard socket also reaches IPv4 (dual stack). */
    private Channel channelFor(InetSocketAddress destination) {
        boolean v4 = destination.getAddress() instanceof Inet4Address;
        Channel dualStack = null;
        for (Channel c : channels) {
            java.net.InetAddress local = ((InetSocketAddress) c.localAddress()).getAddress();
            if ((local instanceof Inet4Address) == v4) {
                return c;
            }
            if (v4 && local.isAnyLocalAddress()) {
                dualStack = c;
            }
        }
        return dualStack;
    }

    private void armTimer() {
        long deadline = endpoint.nextDeadline();
        if (deadline == timerDeadline) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        timerDeadline = deadline;
        if (deadline == Long.MAX_VALUE || closed) {
            return;
        }
        long delay = Math.max(0, deadline - now());
        timer = loop.schedule(this::fireTimer, delay, TimeUnit.MICROSECONDS);
    }

    private void fireTimer() {
        timer = null;
        timerDeadline = Long.MAX_VALUE;
        if (closed) {
            return;
        }
        endpoint.onTimer(now());
        afterEvent();
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int len = Math.min(content.readableBytes(), RECEIVE_BUFFER);
            content.getBytes(content.readerIndex(), receiveBuffer, 0, len);
            endpoint.receive(packet.sender(), receiveBuffer, 0, len, now());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // Replies to a burst of reads leave together.
            afterEvent();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP errors surface here on some platforms; a UDP server keeps going.
            log.debug("socket error on {}", ctx.channel().localAddress(), cause);
        }
    }

    /** Hands DH work to the pool and its completion back to the loop. */
    private final class PoolOffload implements CryptoOffload {
        @Override
        public void execute(Runnable work) {
            if (!closed) {
                cryptoPool.execute(work);
            }
        }

        @Override
        public void runOnLoop(LongConsumer task) {
            if (closed) {
                return;
            }
            loop.execute(() -> {
                if (closed) {
                    return;
                }
                task.accept(now());
                afterEvent();
            });
        }
    }
}
