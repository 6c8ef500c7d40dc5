package io.rtmfp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.EndpointStats;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The socket receive buffer asked for, what the kernel granted, and what it dropped when it was full. */
class ReceiveBufferTest {
    private static final EndpointConfig CONFIG = EndpointConfig.builder(
            PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2), new SecureRandom())).build();

    static void assumeLinux() {
        assumeThat(Files.isReadable(Path.of("/proc/net/udp"))).as("Linux /proc/net/udp").isTrue();
        assumeThat(EventLoops.epoll()).as("native epoll transport").isTrue();
    }

    @Test
    void theDropsColumnIsReadFromTheRowOfTheSocketsInode() {
        List<String> table = List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                " 2052: 0100007F:599C 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 123174 2 0000000001f4aabc 0",
                " 2053: 0100007F:078F 00000000:0000 07 00000000:00010200 00:00000000 00000000  1000        0 123550 2 00000000718caecb 2113");

        assertThat(KernelUdpDrops.drops(table, 123550)).hasValue(2113);
        assertThat(KernelUdpDrops.drops(table, 123174)).hasValue(0);
        assertThat(KernelUdpDrops.drops(table, 1)).isEmpty();
        assertThat(KernelUdpDrops.drops(List.of(table.get(0), " 7: truncated row 123550"), 123550)).isEmpty();
    }

    @Test
    void theKernelGrantsAtMostItsCapAndTheEndpointSaysHowMuch() throws Exception {
        assumeLinux();
        // Files.readString trusts the size procfs reports (0) and reads too little: read lines instead.
        long cap = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).trim());
        int small = 64 * 1024;
        int huge = (int) Math.min(Integer.MAX_VALUE / 4, cap * 4);
        try (UdpEndpoint modest = UdpEndpoint.bind(CONFIG, List.of(new InetSocketAddress("127.0.0.1", 0)), 1, small);
             UdpEndpoint greedy = UdpEndpoint.bind(CONFIG, List.of(new InetSocketAddress("127.0.0.1", 0)), 1, huge)) {
            assertThat((long) modest.receiveBufferBytes()).isEqualTo(Math.min(small, cap));
            assertThat((long) greedy.receiveBufferBytes()).isEqualTo(cap).isLessThan(huge);
        }
    }

    @Test
    void datagramsTheKernelDropsWhileTheLoopIsBusyAreCounted() throws Exception {
        assumeLinux();
        // The smallest buffer the kernel allows: a few datagrams fill it while the loop is held.
        try (UdpEndpoint endpoint = UdpEndpoint.bind(CONFIG, List.of(new InetSocketAddress("127.0.0.1", 0)), 1, 1);
             DatagramSocket flooder = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            assertThat(endpoint.kernelDrops()).hasValue(0);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            endpoint.execute(e -> {
                held.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
            byte[] datagram = new byte[100];
            int sent = 1000;
            for (int i = 0; i < sent; i++) {
                flooder.send(new DatagramPacket(datagram, datagram.length, endpoint.localAddresses().get(0)));
            }

            OptionalLong drops = endpoint.kernelDrops();
            release.countDown();

            assertThat(drops).isPresent();
            assertThat(drops.getAsLong()).isBetween(1L, (long) sent);
            // What the kernel kept reaches the endpoint once the loop runs again, and nothing else does.
            EndpointStats stats = endpoint.call(e -> e.stats()).join();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    stats.get(EndpointStats.Counter.DATAGRAMS_RECEIVED)).isEqualTo(sent - drops.getAsLong()));
        }
    }
}
