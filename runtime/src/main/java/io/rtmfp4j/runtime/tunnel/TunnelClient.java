package io.rtmfp4j.runtime.tunnel;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.rtmfp4j.runtime.DatagramTunnel;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's end of a TCP tunnel (docs/nat.md, "TCP fallback"): a WebSocket connection to the
 * server that carries every datagram the client's endpoint sends to the server's IP address (its
 * RTMFP port and relay ports alike), and brings back what the server sends, as if it had come by
 * UDP from the server's address. Peers are then reached through the server's relay.
 *
 * <p>Lives on the endpoint's loop thread, as the endpoint does.
 */
public final class TunnelClient implements DatagramTunnel, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TunnelClient.class);
    private static final int HIGH_WATER = 256 * 1024;

    private final UdpEndpoint udp;
    private final URI uri;
    private final InetAddress server;
    private final CompletableFuture<TunnelClient> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicLong datagramsOut = new AtomicLong();
    private final AtomicLong datagramsIn = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Channel channel;
    private boolean open;

    private TunnelClient(UdpEndpoint udp, URI uri, InetAddress server) {
        this.udp = udp;
        this.uri = uri;
        this.server = server;
    }

    /**
     * Opens a tunnel to {@code uri} ({@code ws://} or {@code wss://}, the server's tunnel
     * listener) for the datagrams {@code udp} sends to {@code server}, and makes {@code udp} send
     * them through it once the WebSocket handshake is done (when it completes); until then, and if
     * it fails, they go by UDP as before.
     */
    public static CompletableFuture<TunnelClient> open(UdpEndpoint udp, URI uri, InetAddress server) {
        TunnelClient t = new TunnelClient(udp, uri, server);
        t.connect();
        return t.ready;
    }

    private void connect() {
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"ws".equalsIgnoreCase(uri.getScheme())) {
            ready.completeExceptionally(new IllegalArgumentException("a tunnel URL is ws:// or wss://, not " + uri));
            return;
        }
        SslContext ssl;
        try {
            ssl = tls ? SslContextBuilder.forClient().build() : null;
        } catch (SSLException e) {
            ready.completeExceptionally(e);
            return;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        WebSocketClientProtocolHandler ws = new WebSocketClientProtocolHandler(
                WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, TunnelFrame.SUBPROTOCOL,
                        false, new DefaultHttpHeaders(), TunnelFrame.HEADER + TunnelFrame.MAX_DATAGRAM));
        new Bootstrap()
                .group(udp.eventLoop())
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(HIGH_WATER / 2, HIGH_WATER))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), uri.getHost(), port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192), ws, new Frames());
                    }
                })
                .connect(uri.getHost(), port)
                .addListener((io.netty.channel.ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        fail(f.cause());
                    } else {
                        channel = f.channel();
                        channel.closeFuture().addListener(c -> {
                            open = false;
                            udp.setTunnel(null);
                            fail(new IllegalStateException("the tunnel to " + uri + " closed"));
                            closed.complete(null);
                        });
                    }
                });
    }

    private void fail(Throwable cause) {
        if (ready.completeExceptionally(cause)) {
            log.debug("tunnel to {} failed", uri, cause);
        }
    }

    /** Where the tunnel goes. */
    public URI uri() {
        return uri;
    }

    /** Completes when the tunnel has closed (the server or the network ended it, or {@link #close}). */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    public long datagramsOut() {
        return datagramsOut.get();
    }

    public long datagramsIn() {
        return datagramsIn.get();
    }

    /** Datagrams dropped for want of an open, writable tunnel. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public boolean carries(InetSocketAddress destination) {
        return server.equals(destination.getAddress());
    }

    @Override
    public void send(InetSocketAddress source, InetSocketAddress destination, byte[] datagram) {
        Channel c = channel;
        if (!open || c == null || !c.isWritable()) {
            dropped.incrementAndGet();
            return;
        }
        datagramsOut.incrementAndGet();
        c.writeAndFlush(TunnelFrame.encode(c.alloc(), destination.getPort(), datagram), c.voidPromise());
    }

    /** Closes the tunnel; the endpoint goes back to sending everything by UDP. */
    @Override
    public void close() {
        udp.setTunnel(null);
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    private final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                open = true;
                // Only now: until the tunnel is up, and if it never comes up, datagrams keep going
                // by UDP, which may yet get through (a server slow to answer, not a blocked path).
                udp.setTunnel(TunnelClient.this);
                ready.complete(TunnelClient.this);
            } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                fail(new IllegalStateException("no WebSocket answer from " + uri));
                ctx.close();
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!(frame instanceof BinaryWebSocketFrame)) {
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
            byte[] data = new byte[len];
            content.getBytes(content.readerIndex() + TunnelFrame.HEADER, data);
            datagramsIn.incrementAndGet();
            udp.deliver(new InetSocketAddress(server, port), data, 0, len);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
            ctx.close();
        }
    }
}
