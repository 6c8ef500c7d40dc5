package io.rtmfp4j.runtime;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Event-loop threads that several {@link UdpEndpoint}s share.
 *
 * <p>An endpoint lives on exactly one thread, the one it is given when it is bound, so its
 * protocol state still needs no lock; what endpoints on the same loop share is the thread, and
 * with it the wakeups and context switches. That suits a process running many endpoints at
 * once, each with little to do: a load driver, a test with many peers, an application with
 * several identities. An endpoint bound without one gets a loop thread of its own.
 *
 * <p>Close the endpoints first: closing the loops stops their threads, and with them every
 * endpoint still on them.
 */
public final class EventLoops implements AutoCloseable {
    static {
        // Every endpoint's channels are made on a loop from here: set before Netty makes any.
        MachineId.install();
    }

    private final EventLoopGroup group;

    private EventLoops(int threads) {
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("rtmfp-loop", true),
                epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** {@code threads} loop threads; endpoints are placed on them in turn. */
    public static EventLoops create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one loop thread is required");
        }
        return new EventLoops(threads);
    }

    /** Native epoll where available (Linux), NIO otherwise: the same for every loop. */
    static boolean epoll() {
        return Epoll.isAvailable();
    }

    /** The loop for the next endpoint. */
    EventLoop next() {
        return group.next();
    }

    /** Stops the threads, after at most a short grace period for tasks already queued. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
