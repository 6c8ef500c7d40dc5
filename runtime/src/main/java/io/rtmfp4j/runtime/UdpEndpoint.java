package io.rtmfp4j.runtime;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PeerIdentity;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one sans-IO {@link Endpoint} on real UDP sockets: a Netty event loop of one thread owns the
 * endpoint (a loop of its own, or one of {@link EventLoops} shared with other endpoints), feeds
 * it datagrams, sends what it produces and arms a single timer at its
 * {@link Endpoint#nextDeadline()}. Diffie-Hellman work runs on a small worker pool so the loop
 * keeps serving established sessions while handshakes are computed.
 *
 * <p>Native epoll is used where available (Linux), NIO otherwise. Several local addresses may be
 * bound (IPv4 and IPv6); each datagram goes out of a socket of its destination's family.
 *
 * <p>The endpoint must only be touched on the loop: use {@link #call} or {@link #execute}.
 */
public final class UdpEndpoint implements EndpointHost {
    private static final Logger log = LoggerFactory.getLogger(UdpEndpoint.class);
    /** Kernel limits of one UDP_SEGMENT send: UDP_MAX_SEGMENTS (64 before Linux 6.2) and the largest UDP payload. */
    static final int MAX_SEGMENTS = 64;
    static final int MAX_SEGMENTED_BYTES = 65_507;
    /** errno values that mean the socket or device cannot segment (Linux). */
    private static final int EIO = 5;
    private static final int EINVAL = 22;
    /** A read with UDP_GRO may return up to 64 KiB of coalesced datagrams of one sender. */
    private static final int GRO_BUFFER = 65_536;
    /** Reads per readiness event before the loop turns to its other work: a burst handed in at once. */
    private static final int READS_PER_EVENT = 64;
    /**
     * The socket receive buffer asked for unless told otherwise: what queues while the loop is busy
     * (a burst of handshakes, a collection pause) instead of being dropped by the kernel. Linux
     * grants at most {@code net.core.rmem_max}; {@link #receiveBufferBytes()} says what it gave.
     */
    public static final int DEFAULT_RECEIVE_BUFFER = 4 << 20;
    /** How long {@link #close()} waits for the far ends to acknowledge the orderly closes under way. */
    static final Duration CLOSE_LINGER = Duration.ofSeconds(2);
    /** Linux reports twice the buffer asked for (the other half is for its bookkeeping, socket(7)). */
    private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

    /** The loops this endpoint owns and closes with itself; null when it runs on shared ones. */
    private final EventLoops ownLoops;
    private final EventLoop loop;
    private final ExecutorService cryptoPool;
    private final Endpoint endpoint;
    private final List<Channel> channels = new ArrayList<>();
    private final long originNanos = System.nanoTime();
    /**
     * One byte longer than the largest datagram the endpoint accepts: a longer one is copied up to
     * that length, which the endpoint then drops as too large (never truncated into something that
     * looks like a short, broken RTMFP packet).
     */
    private final byte[] receiveBuffer;
    private final String transport;
    private ScheduledFuture<?> timer;
    /** Where datagrams for the destinations it claims go instead of a socket; null for none. Loop thread. */
    private DatagramTunnel tunnel;
    /** UDP generic segmentation offload (Linux, epoll): runs of equal-sized datagrams leave in one send. */
    private boolean gso;
    private final List<Datagram> outgoing = new ArrayList<>();
    private long timerDeadline = Long.MAX_VALUE;
    private volatile boolean closed;
    /** Completed once no orderly close waits for its acknowledgement; set while {@link #close()} lingers. Loop thread. */
    private CompletableFuture<Void> closesAcknowledged;
    private final int receiveBufferBytes;
    /** The sockets' inodes, where the kernel's drop counts can be read; empty when one is unknown. */
    private final List<Long> inodes = new ArrayList<>();

    private UdpEndpoint(EndpointConfig config, List<InetSocketAddress> binds, int cryptoThreads, EventLoops shared,
            int receiveBufferSize) {
        boolean epoll = EventLoops.epoll();
        transport = epoll ? "epoll" : "nio";
        gso = epoll && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
        ownLoops = shared == null ? EventLoops.create(1) : null;
        loop = (shared == null ? ownLoops : shared).next();
        cryptoPool = cryptoThreads == 0 ? null
                : Executors.newFixedThreadPool(cryptoThreads, new DefaultThreadFactory("rtmfp-crypto", true));
        endpoint = new Endpoint(config, new SecureRandom(), cryptoPool == null ? null : new PoolOffload());
        receiveBuffer = new byte[config.maxDatagramSize() + 1];
        try {
            for (InetSocketAddress bind : binds) {
                // Every socket on the endpoint's own loop: the endpoint is only ever touched there.
                Bootstrap b = new Bootstrap()
                        .group(loop)
                        .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                        .option(ChannelOption.SO_RCVBUF, receiveBufferSize)
                        .option(ChannelOption.SO_SNDBUF, 4 << 20)
                        .handler(new Inbound());
                if (epoll) {
                    // UDP_GRO: a run of datagrams from one sender (e.g. a segmented send) arrives in one
                    // read and Netty hands it over datagram by datagram, each as it was on the wire.
                    b.option(EpollChannelOption.UDP_GRO, true)
                            .option(ChannelOption.RCVBUF_ALLOCATOR,
                                    new FixedRecvByteBufAllocator(GRO_BUFFER).maxMessagesPerRead(READS_PER_EVENT));
                } else {
                    // Netty's default 2 KiB would truncate large startup packets (spec §1.7).
                    b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(receiveBuffer.length)
                            .maxMessagesPerRead(READS_PER_EVENT));
                }
                channels.add(b.bind(bind).sync().channel());
            }
            receiveBufferBytes = grantedReceiveBuffer(channels);
            for (Channel c : channels) {
                KernelUdpDrops.inode(c).ifPresent(inodes::add);
            }
            if (inodes.size() < channels.size()) {
                inodes.clear();
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
     * @param cryptoThreads worker threads for Diffie-Hellman; 0 runs it on the endpoint's loop thread,
     *     which saves two thread hand-offs per handshake where the loop has nothing better to do
     */
    public static UdpEndpoint bind(EndpointConfig config, List<InetSocketAddress> binds, int cryptoThreads) {
        return open(config, binds, cryptoThreads, null, DEFAULT_RECEIVE_BUFFER);
    }

    /**
     * Like {@link #bind(EndpointConfig, List, int)}, asking the kernel for a socket receive buffer of
     * {@code receiveBufferBytes} each instead of {@link #DEFAULT_RECEIVE_BUFFER}.
     */
    public static UdpEndpoint bind(EndpointConfig config, List<InetSocketAddress> binds, int cryptoThreads,
            int receiveBufferBytes) {
        if (receiveBufferBytes < 1) {
            throw new IllegalArgumentException("the receive buffer must be at least one byte");
        }
        return open(config, binds, cryptoThreads, null, receiveBufferBytes);
    }

    /**
     * Like {@link #bind(EndpointConfig, List, int)}, on a thread of {@code loops} shared with other
     * endpoints instead of one of its own. Closing this endpoint leaves the loops running.
     */
    public static UdpEndpoint bind(EndpointConfig config, List<InetSocketAddress> binds, int cryptoThreads,
            EventLoops loops) {
        return open(config, binds, cryptoThreads, Objects.requireNonNull(loops, "loops"), DEFAULT_RECEIVE_BUFFER);
    }

    private static UdpEndpoint open(EndpointConfig config, List<InetSocketAddress> binds, int cryptoThreads,
            EventLoops shared, int receiveBufferSize) {
        if (binds.isEmpty()) {
            throw new IllegalArgumentException("at least one local address to bind is required");
        }
        if (cryptoThreads < 0) {
            throw new IllegalArgumentException("cryptoThreads must not be negative");
        }
        return new UdpEndpoint(config, List.copyOf(binds), cryptoThreads, shared, receiveBufferSize);
    }

    /** The smallest receive buffer the kernel granted the sockets. */
    private static int grantedReceiveBuffer(List<Channel> channels) {
        int granted = Integer.MAX_VALUE;
        for (Channel c : channels) {
            int reported = c.config().getOption(ChannelOption.SO_RCVBUF);
            granted = Math.min(granted, LINUX ? reported / 2 : reported);
        }
        return granted;
    }

    /** Binds with one crypto worker per available processor. */
    public static UdpEndpoint bind(EndpointConfig config, InetSocketAddress bind) {
        return bind(config, List.of(bind), Runtime.getRuntime().availableProcessors());
    }

    /** "epoll" or "nio". */
    public String transport() {
        return transport;
    }

    /**
     * The receive buffer the kernel granted each socket, in bytes: less than asked for when the
     * system caps it (Linux: {@code net.core.rmem_max}).
     */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /**
     * Datagrams the kernel dropped because a socket's receive buffer was full, summed over the
     * sockets; empty where the kernel does not say (anything but Linux, or NIO). Reads
     * {@code /proc}, so callable from any thread, but not cheap enough for every packet.
     */
    public OptionalLong kernelDrops() {
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        long sum = 0;
        for (long inode : inodes) {
            OptionalLong drops = KernelUdpDrops.drops(inode);
            if (drops.isEmpty()) {
                return OptionalLong.empty();
            }
            sum += drops.getAsLong();
        }
        return OptionalLong.of(sum);
    }

    @Override
    public PeerIdentity identity() {
        return endpoint.identity();
    }

    @Override
    public List<InetSocketAddress> localAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : channels) {
            out.add((InetSocketAddress) c.localAddress());
        }
        return out;
    }

    @Override
    public long now() {
        return (System.nanoTime() - originNanos) / 1000;
    }

    @Override
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

    @Override
    public void schedule(long delayMicros, Consumer<Endpoint> action) {
        loop.schedule(() -> execute(action), Math.max(0, delayMicros), TimeUnit.MICROSECONDS);
    }

    /**
     * Runs {@code action} on the loop and completes with its result, or exceptionally with what it
     * threw (an {@link IllegalStateException} once the endpoint is closed). Output and timers are
     * brought up to date afterwards either way.
     */
    public <T> CompletableFuture<T> call(Function<Endpoint, T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("endpoint is closed"));
            return result;
        }
        Runnable task = () -> {
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
        };
        try {
            loop.execute(task);
        } catch (RejectedExecutionException shutDown) {
            result.completeExceptionally(new IllegalStateException("endpoint is closed"));
        }
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

    /**
     * The loop thread this endpoint lives on, for channels that must share it: a tunnel whose
     * datagrams it {@linkplain #deliver delivers}, raw sockets.
     */
    public EventLoop eventLoop() {
        return loop;
    }

    /**
     * Sends datagrams for the destinations {@code t} claims through it instead of a socket (null
     * stops). Takes effect on the loop, in order with the other work given to it.
     */
    public void setTunnel(DatagramTunnel t) {
        loop.execute(() -> tunnel = t);
    }

    /**
     * Feeds in a datagram that came some other way than this endpoint's sockets (through a
     * tunnel), then sends what it caused. Loop thread only.
     */
    public void deliver(InetSocketAddress from, byte[] data, int off, int len) {
        if (closed) {
            return;
        }
        endpoint.receive(from, data, off, len, now());
        afterEvent();
    }

    /**
     * Binds a UDP socket on this endpoint's loop that is not part of the endpoint: what arrives
     * goes to {@code receiver}, on the loop. Completes on the loop once bound, so callers on the
     * loop continue without blocking it.
     */
    public CompletableFuture<RawUdpSocket> bindRaw(InetSocketAddress address, RawUdpSocket.Receiver receiver) {
        CompletableFuture<RawUdpSocket> result = new CompletableFuture<>();
        RawUdpSocket[] socket = new RawUdpSocket[1];
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(EventLoops.epoll() ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, DEFAULT_RECEIVE_BUFFER)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(receiveBuffer.length)
                        .maxMessagesPerRead(READS_PER_EVENT))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        ByteBuf content = packet.content();
                        int len = Math.min(content.readableBytes(), receiveBuffer.length);
                        content.getBytes(content.readerIndex(), receiveBuffer, 0, len);
                        receiver.onDatagram(socket[0], packet.sender(), receiveBuffer, 0, len);
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        receiver.onReadComplete(socket[0]);
                        afterEvent();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        log.debug("socket error on {}", ctx.channel().localAddress(), cause);
                    }
                });
        b.bind(address).addListener((io.netty.channel.ChannelFuture f) -> {
            if (f.isSuccess()) {
                socket[0] = new RawUdpSocket(f.channel());
                result.complete(socket[0]);
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    /**
     * Waits up to {@link #CLOSE_LINGER} for the orderly closes under way to be acknowledged, then closes
     * every session left abruptly, sends the last datagrams and releases sockets and threads.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!channels.isEmpty()) {
            lingerForCloseAcks();
            try {
                loop.submit(() -> {
                    endpoint.shutdown(now());
                    afterEvent();
                    closed = true;
                    // On shared loops the thread lives on: leave no timer of this endpoint behind.
                    if (timer != null) {
                        timer.cancel(false);
                        timer = null;
                    }
                }).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("shutdown of the endpoint did not finish cleanly", e);
            }
        }
        closed = true;
        for (Channel c : channels) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (cryptoPool != null) {
            cryptoPool.shutdownNow();
        }
        if (ownLoops != null) {
            ownLoops.close();
        }
    }

    /**
     * A Close sent once as the process goes away is lost whenever the far end's receive buffer is full,
     * as it is when a bulk flow was just aborted; the far end would then wait for its retransmit limit
     * (minutes) to learn that the session is gone. The Close is repeated meanwhile (RFC 7016 §3.5.5.1).
     */
    private void lingerForCloseAcks() {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                if (closed || !endpoint.awaitingCloseAcks()) {
                    acknowledged.complete(null);
                } else {
                    closesAcknowledged = acknowledged;
                }
            });
            acknowledged.get(CLOSE_LINGER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException unacknowledged) {
            log.debug("closing with sessions whose close was not acknowledged");
        }
    }

    // ---------------------------------------------------------------- loop side

    /** Sends everything the endpoint queued and re-arms the timer: done after every event. */
    private void afterEvent() {
        // Work due now (acks owed, data the acks just freed) runs here, not through a zero-delay
        // timer task: the datagrams of this burst go out with the rest of it.
        long t = now();
        try {
            if (!closed && endpoint.nextDeadline() <= t) {
                endpoint.onTimer(t);
            }
        } finally {
            // Even if a listener threw out of the endpoint: what is queued goes, and the timer stays armed.
            flushOutput();
            armTimer();
            if (closesAcknowledged != null && !endpoint.awaitingCloseAcks()) {
                closesAcknowledged.complete(null);
                closesAcknowledged = null;
            }
        }
    }

    private void flushOutput() {
        Datagram d;
        while ((d = endpoint.pollTransmit()) != null) {
            outgoing.add(d);
        }
        if (outgoing.isEmpty()) {
            return;
        }
        try {
            writeOutgoing();
        } finally {
            outgoing.clear();
        }
        for (Channel c : channels) {
            c.flush();
        }
    }

    private void writeOutgoing() {
        int n = outgoing.size();
        for (int i = 0; i < n; ) {
            Datagram first = outgoing.get(i);
            if (tunnel != null && tunnel.carries(first.destination())) {
                tunnel.send(sourceFor(first.destination()), first.destination(), first.data());
                i++;
                continue;
            }
            Channel c = channelFor(first.destination());
            if (c == null) {
                log.debug("no local socket can reach {}; datagram not sent", first.destination());
                i++;
                continue;
            }
            int end = gso ? i + segmentRun(outgoing, i) : i + 1;
            int bytes = 0;
            for (int k = i; k < end; k++) {
                bytes += outgoing.get(k).data().length;
            }
            ByteBuf buffer = c.alloc().directBuffer(bytes, bytes);
            for (int k = i; k < end; k++) {
                buffer.writeBytes(outgoing.get(k).data());
            }
            if (end - i == 1) {
                c.write(new DatagramPacket(buffer, first.destination()), c.voidPromise());
            } else {
                // One system call and one trip through the stack for the run; each segment is a datagram on the wire.
                List<Datagram> run = List.copyOf(outgoing.subList(i, end));
                c.write(new SegmentedDatagramPacket(buffer, first.data().length, first.destination()))
                        .addListener(f -> {
                            if (!f.isSuccess()) {
                                segmentedSendFailed(c, run, f.cause());
                            }
                        });
            }
            i = end;
        }
    }

    /**
     * A segmented send failed: its datagrams go again one by one, so nothing is lost for want of
     * offload. Only an error saying the socket or device cannot segment turns offload off; one
     * about the destination (unreachable, no buffer space) says nothing about segmentation.
     */
    private void segmentedSendFailed(Channel c, List<Datagram> run, Throwable cause) {
        if (gso && segmentationUnsupported(cause)) {
            gso = false;
            log.debug("UDP segmentation offload refused; sending datagrams one by one", cause);
        }
        for (Datagram d : run) {
            c.write(new DatagramPacket(Unpooled.wrappedBuffer(d.data()), d.destination()), c.voidPromise());
        }
        c.flush();
    }

    static boolean segmentationUnsupported(Throwable cause) {
        if (cause instanceof UnsupportedOperationException) {
            return true;
        }
        if (cause instanceof Errors.NativeIoException e) {
            int errno = Math.abs(e.expectedErr());
            return errno == EINVAL || errno == EIO;
        }
        return false;
    }

    /**
     * How many datagrams from {@code from} on can leave as one UDP_SEGMENT send (Linux GSO): same
     * destination, the first one's size, at most one shorter last one, within the kernel's limits
     * on segments and on the total UDP payload.
     */
    static int segmentRun(List<Datagram> queue, int from) {
        Datagram first = queue.get(from);
        int size = first.data().length;
        int bytes = size;
        int count = 1;
        for (int k = from + 1; k < queue.size() && count < MAX_SEGMENTS; k++) {
            Datagram next = queue.get(k);
            int len = next.data().length;
            if (len > size || bytes + len > MAX_SEGMENTED_BYTES || !next.destination().equals(first.destination())) {
                break;
            }
            bytes += len;
            count++;
            if (len < size) {
                break;
            }
        }
        return count;
    }

    /** The local address a datagram to {@code destination} leaves from, or would if it went by UDP. */
    private InetSocketAddress sourceFor(InetSocketAddress destination) {
        Channel c = channelFor(destination);
        return (InetSocketAddress) (c != null ? c : channels.get(0)).localAddress();
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
        // afterEvent runs the endpoint's timer, once, since its deadline has come.
        afterEvent();
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        /** When the current burst of reads began: every datagram of it was already waiting then. */
        private long burstTime = -1;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (burstTime < 0) {
                burstTime = now();
            }
            ByteBuf content = packet.content();
            int len = Math.min(content.readableBytes(), receiveBuffer.length);
            content.getBytes(content.readerIndex(), receiveBuffer, 0, len);
            endpoint.receive(packet.sender(), receiveBuffer, 0, len, burstTime);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            burstTime = -1;
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
