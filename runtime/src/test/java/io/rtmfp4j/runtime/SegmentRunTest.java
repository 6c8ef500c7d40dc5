package io.rtmfp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.session.Datagram;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which queued datagrams may leave in one segmented send (Linux UDP_SEGMENT rules). */
class SegmentRunTest {
    private static final InetSocketAddress P = new InetSocketAddress("127.0.0.1", 1935);
    private static final InetSocketAddress Q = new InetSocketAddress("127.0.0.1", 1936);

    private static List<Datagram> queue(InetSocketAddress to, int... sizes) {
        List<Datagram> q = new ArrayList<>();
        for (int size : sizes) {
            q.add(new Datagram(to, new byte[size]));
        }
        return q;
    }

    @Test
    void equalSizesGoTogetherAndAShorterOneEndsTheRun() {
        List<Datagram> q = queue(P, 1188, 1188, 1188, 740, 1188, 1188);
        assertThat(UdpEndpoint.segmentRun(q, 0)).isEqualTo(4);
        assertThat(UdpEndpoint.segmentRun(q, 4)).isEqualTo(2);
    }

    @Test
    void aLargerDatagramOrAnotherDestinationStartsANewRun() {
        List<Datagram> q = queue(P, 740, 1188);
        assertThat(UdpEndpoint.segmentRun(q, 0)).isEqualTo(1);
        q.add(new Datagram(Q, new byte[1188]));
        assertThat(UdpEndpoint.segmentRun(q, 1)).isEqualTo(1);
        assertThat(UdpEndpoint.segmentRun(q, 2)).isEqualTo(1);
    }

    @Test
    void staysWithinTheKernelLimits() {
        int[] many = new int[100];
        java.util.Arrays.fill(many, 500);
        assertThat(UdpEndpoint.segmentRun(queue(P, many), 0)).isEqualTo(UdpEndpoint.MAX_SEGMENTS);
        java.util.Arrays.fill(many, 1188);
        int run = UdpEndpoint.segmentRun(queue(P, many), 0);
        assertThat((long) run * 1188).isLessThanOrEqualTo(UdpEndpoint.MAX_SEGMENTED_BYTES);
        assertThat((long) (run + 1) * 1188).isGreaterThan(UdpEndpoint.MAX_SEGMENTED_BYTES);
    }

    @Test
    void onlyErrorsAboutSegmentationItselfTurnOffloadOff() {
        // Offload only exists with native epoll, which also provides the native error type.
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "native epoll unavailable");
        assertThat(UdpEndpoint.segmentationUnsupported(new UnsupportedOperationException())).isTrue();
        assertThat(UdpEndpoint.segmentationUnsupported(new io.netty.channel.unix.Errors.NativeIoException("sendmsg", -22)))
                .isTrue();
        // ENETUNREACH (101) and ENOBUFS (105) concern a destination or a moment, not the socket.
        assertThat(UdpEndpoint.segmentationUnsupported(new io.netty.channel.unix.Errors.NativeIoException("sendmsg", -101)))
                .isFalse();
        assertThat(UdpEndpoint.segmentationUnsupported(new io.netty.channel.unix.Errors.NativeIoException("sendmsg", -105)))
                .isFalse();
        assertThat(UdpEndpoint.segmentationUnsupported(new java.io.IOException("closed"))).isFalse();
    }
}
