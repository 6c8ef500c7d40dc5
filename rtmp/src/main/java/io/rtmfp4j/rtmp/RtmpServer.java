package io.rtmfp4j.rtmp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP listener for RTMP publishers (OBS, ffmpeg): each connection runs an {@link RtmpSession}
 * on one Netty thread, and what it publishes goes to the {@link PublishTarget}. A connection
 * that breaks the protocol, does not publish, or is refused is logged at WARN with the reason and
 * closed; the others are not touched.
 */
public final class RtmpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);
    /** Connections at once: one publishes, a few more may be on their way to being refused. */
    static final int MAX_CONNECTIONS = 16;
    /** A publisher sends all the time; a connection silent this long is dead or not a publisher. */
    static final int IDLE_SECONDS = 30;

    private final EventLoopGroup group;
    private final Channel listener;
    private final PublishTarget target;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger connections = new AtomicInteger();

    private RtmpServer(InetSocketAddress bind, PublishTarget target) throws InterruptedException {
        this.target = target;
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("rtmp", true), epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            listener = new ServerBootstrap()
                    .group(group)
                    .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ReadTimeoutHandler(IDLE_SECONDS), new Connection());
                        }
                    })
                    .bind(bind).sync().channel();
        } catch (Exception e) {
            // Binding fails with the socket's own exception (BindException, or Netty's native one), undeclared.
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Listens on {@code bind} (TCP). An address that cannot be bound throws the socket's exception
     * (a {@link java.net.BindException} or Netty's native counterpart) as it stands.
     */
    public static RtmpServer start(InetSocketAddress bind, PublishTarget target) {
        try {
            return new RtmpServer(bind, target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the RTMP listener", e);
        }
    }

    /** The address listened on, with the port actually chosen. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops listening and closes every connection (their publications end). */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** One client connection. */
    private final class Connection extends ChannelInboundHandlerAdapter {
        private RtmpSession session;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (connections.incrementAndGet() > MAX_CONNECTIONS) {
                log.warn("RTMP client {} refused: {} connections already", ctx.channel().remoteAddress(),
                        MAX_CONNECTIONS);
                ctx.close();
                return;
            }
            session = new RtmpSession(target, random);
            log.info("RTMP client {} connected", ctx.channel().remoteAddress());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (session == null || session.closeReason() != null) {
                    return;
                }
                byte[] bytes = new byte[in.readableBytes()];
                in.readBytes(bytes);
                String before = session.publishedName();
                session.receive(bytes, 0, bytes.length);
                byte[] reply = session.takeOutput();
                String reason = session.closeReason();
                if (reason != null) {
                    log.warn("RTMP client {} closed: {}", ctx.channel().remoteAddress(), reason);
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(reply)).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                if (reply.length > 0) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
                }
                String now = session.publishedName();
                if (before == null && now != null) {
                    log.info("RTMP client {} publishes '{}'", ctx.channel().remoteAddress(), now);
                } else if (before != null && now == null) {
                    log.info("RTMP client {} unpublished '{}'", ctx.channel().remoteAddress(), before);
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof ReadTimeoutException) {
                log.warn("RTMP client {} closed: nothing received for {} s", ctx.channel().remoteAddress(), IDLE_SECONDS);
            } else {
                log.warn("RTMP client {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connections.decrementAndGet();
            if (session != null) {
                String name = session.publishedName();
                session.closed();
                log.info("RTMP client {} disconnected{}", ctx.channel().remoteAddress(),
                        name == null ? "" : " (it published '" + name + "')");
            }
        }
    }
}
