package io.rtmfp4j.runtime.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;

/**
 * One datagram in a WebSocket binary message of the TCP tunnel (docs/nat.md, "TCP fallback"):
 * a 16-bit port, big-endian, then the datagram. From the client the port is the server's port
 * the datagram is for (its RTMFP port or a relay port); from the server, the port it came from.
 * The IP addresses are those of the TCP connection's ends, so they are not repeated.
 */
final class TunnelFrame {
    /** The port field. */
    static final int HEADER = 2;
    /** The longest datagram carried: RTMFP's own limit (the runtime reads 8 KiB). */
    static final int MAX_DATAGRAM = 8192;
    /** The WebSocket subprotocol both ends name (RFC 6455 §1.9), so a stray WebSocket client is turned away. */
    static final String SUBPROTOCOL = "rtmfp-datagrams.rtmfp4j.io";
    /** The HTTP path the server answers on. */
    static final String PATH = "/rtmfp";

    private TunnelFrame() {
    }

    static BinaryWebSocketFrame encode(ByteBufAllocator alloc, int port, byte[] datagram) {
        ByteBuf b = alloc.buffer(HEADER + datagram.length);
        b.writeShort(port);
        b.writeBytes(datagram);
        return new BinaryWebSocketFrame(b);
    }

    /** The port of a received message, or -1 if the message is not a datagram (empty, too long). */
    static int port(ByteBuf content) {
        int len = content.readableBytes() - HEADER;
        if (len < 1 || len > MAX_DATAGRAM) {
            return -1;
        }
        return content.getUnsignedShort(content.readerIndex());
    }
}
