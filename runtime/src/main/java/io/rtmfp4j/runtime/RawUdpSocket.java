package io.rtmfp4j.runtime;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A UDP socket on a {@link UdpEndpoint}'s loop that carries no RTMFP of its own: a relay port, a
 * connectivity probe. Bound with {@link UdpEndpoint#bindRaw}; its receiver and every method run
 * on that loop, so whatever it serves needs no lock and may touch the endpoint.
 */
public final class RawUdpSocket implements AutoCloseable {
    private final Channel channel;
    private boolean unflushed;

    RawUdpSocket(Channel channel) {
        this.channel = channel;
    }

    /** What a raw socket hands its owner; called on the loop. */
    public interface Receiver {
        /** A datagram arrived; {@code data} is only valid during the call. */
        void onDatagram(RawUdpSocket socket, InetSocketAddress from, byte[] data, int off, int len);

        /** The socket has no more datagrams at hand: a good time to flush what they caused. */
        default void onReadComplete(RawUdpSocket socket) {
        }
    }

    /** The bound address, with the port actually chosen. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Queues a datagram; it leaves at the next {@link #flush}. */
    public void write(InetSocketAddress to, byte[] data, int off, int len) {
        ByteBuf buffer = channel.alloc().directBuffer(len, len).writeBytes(data, off, len);
        channel.write(new DatagramPacket(buffer, to), channel.voidPromise());
        unflushed = true;
    }

    /** Sends what {@link #write} queued. */
    public void flush() {
        if (unflushed) {
            unflushed = false;
            channel.flush();
        }
    }

    /** Whether the kernel takes more now; a relay drops rather than queue without bound. */
    public boolean isWritable() {
        return channel.isWritable();
    }

    /** Closes the socket; waits for it unless called on the loop, which must not block. */
    @Override
    public void close() {
        if (channel.eventLoop().inEventLoop()) {
            channel.close();
        } else {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
