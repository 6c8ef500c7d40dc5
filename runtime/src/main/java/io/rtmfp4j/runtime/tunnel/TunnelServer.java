package io.rtmfp4j.runtime.tunnel;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.rtmfp4j.runtime.DatagramTunnel;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's end of TCP tunnels (docs/nat.md, "TCP fallback"): a WebSocket listener whose
 * clients' datagrams are handed to the server as if they had come by UDP from a
 * {@linkplain TunnelAddresses tunnel address}, and datagrams the server sends to such an address
 * go back down the tunnel. WebSocket because it passes where only HTTP does: proxies, firewalls
 * that allow nothing else.
 *
 * <p>Its connections live on the server endpoint's loop thread, like everything the endpoint
 * touches, so handing a datagram over needs no lock and no hand-off.
 */
public final class TunnelServer implements DatagramTunnel, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TunnelServer.class);
    /**
     * Bytes queued towards a tunnel client beyond which datagrams are dropped rather than queued:
     * a UDP socket would drop too, and RTMFP's congestion control, not a TCP buffer, should pace.
     */
    private static final int HIGH_WATER = 256 * 1024;

    /** Where the datagrams that clients send go; called on the loop. */
    @FunctionalInterface
    public interface Receiver {
        /** A datagram for the server's port {@code port} from the tunnel at {@code from}. */
        void deliver(int port, InetSocketAddress from, byte[] data, int off, int len);
    }

    private final UdpEndpoint udp;
    private final Receiver receiver;
    private final Channel listener;
    /** Open tunnels by their addresses. Loop thread. */
    private final Map<InetSocketAddress, Channel> tunnels = new HashMap<>();
    /** The number the next tunnel's address starts from: numbers go round, so a new tunnel does not take a fresh one's. */
    private int nextNumber = 1;
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong datagramsIn = new AtomicLong();
    private final AtomicLong datagramsOut = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile int open;

    private TunnelServer(UdpEndpoint udp, InetSocketAddress bind, Receiver receiver) throws InterruptedException {
        this.udp = udp;
        this.receiver = receiver;
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(TunnelFrame.PATH)
                .subprotocols(TunnelFrame.SUBPROTOCOL)
                .maxFramePayloadLength(TunnelFrame.HEADER + TunnelFrame.MAX_DATAGRAM)
                .build();
        listener = new ServerBootstrap()
                .group(udp.eventLoop(), udp.eventLoop())
                .channel(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(HIGH_WATER / 2, HIGH_WATER))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler(ws), new Tunnel());
                    }
                })
                .bind(bind).sync().channel();
    }

    /**
     * Listens on {@code bind} (TCP) on {@code udp}'s loop; what tunnel clients send goes to
     * {@code receiver}. The caller also makes {@code udp} send through it ({@link UdpEndpoint#setTunnel}).
     */
    public static TunnelServer start(UdpEndpoint udp, InetSocketAddress bind, Receiver receiver) {
        try {
            return new TunnelServer(udp, bind, receiver);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the tunnel listener", e);
        }
    }

    /** The TCP address listened on, with the port actually chosen. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Tunnels open now. */
    public int open() {
        return open;
    }

    /** Tunnels opened since the start. */
    public long opened() {
        return opened.get();
    }

    public long datagramsIn() {
        return datagramsIn.get();
    }

    public long datagramsOut() {
        return datagramsOut.get();
    }

    /** Datagrams for a tunnel that was gone or full. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public boolean carries(InetSocketAddress destination) {
        return TunnelAddresses.isTunnel(destination);
    }

    @Override
    public void send(InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
        Channel c = tunnels.get(destination);
        if (c == null || !c.isWritable()) {
            dropped.incrementAndGet();
            return;
        }
        datagramsOut.incrementAndGet();
        c.writeAndFlush(TunnelFrame.encode(c.alloc(), source.getPort(), datagram), c.voidPromise());
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        udp.eventLoop().submit(() -> {
            for (Channel c : tunnels.values()) {
                c.close();
            }
        }).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    /** One client's tunnel, once its WebSocket handshake is done. */
    private final class Tunnel extends SimpleChannelInboundHandler<WebSocketFrame> {
        private InetSocketAddress address;
        private byte[] buffer;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                if (!TunnelFrame.SUBPROTOCOL.equals(done.selectedSubprotocol())) {
                    // A WebSocket client of something else: it would not understand our datagrams.
                    ctx.close();
                    return;
                }
                address = allocate(((InetSocketAddress) ctx.channel().remoteAddress()));
                if (address == null) {
                    ctx.close();
                    return;
                }
                tunnels.put(address, ctx.channel());
                open = tunnels.size();
                opened.incrementAndGet();
                buffer = new byte[TunnelFrame.MAX_DATAGRAM];
                log.debug("tunnel open from {} as {}", ctx.channel().remoteAddress(), address);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!(frame instanceof BinaryWebSocketFrame) || address == null) {
                // Only datagrams travel here: anything else is a client that does not speak the tunnel.
                ctx.close();
                return;
            }
            ByteBuf content = frame.content();
            int port = TunnelFrame.port(content);
            if (port < 0) {
                dropped.incrementAndGet();
                return;
            }
            int len = content.readableBytes() - TunnelFrame.HEADER;
            content.getBytes(content.readerIndex() + TunnelFrame.HEADER, buffer, 0, len);
            datagramsIn.incrementAndGet();
            receiver.deliver(port, address, buffer, 0, len);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (address != null && tunnels.remove(address, ctx.channel())) {
                open = tunnels.size();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("tunnel from {} failed", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }

    /**
     * A tunnel address for a new tunnel from {@code remote} that no open one has, or null if all are
     * taken. The endpoint may still hold a session at the address of a tunnel that has just closed
     * (its client went without a close the server heard, and the session lives on until its
     * retransmissions give up): a new client there would be taken for that one's far end. So
     * numbers are not reused until all the others have been, in turn.
     */
    private InetSocketAddress allocate(InetSocketAddress remote) {
        for (int i = 0; i < 65535; i++) {
            int n = nextNumber;
            nextNumber = n == 65535 ? 1 : n + 1;
            InetSocketAddress a = TunnelAddresses.of(remote.getAddress(), n);
            if (!tunnels.containsKey(a)) {
                return a;
            }
        }
        return null;
    }
}
