package io.rtmfp4j.flash.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalAddressesTest {
    static final List<InetAddress> HOST = List.of(addr("127.0.0.1"), addr("192.168.1.20"), addr("::1"),
            addr("fd00::20"), addr("fe80::1"), addr("203.0.113.7"));
    static final InetSocketAddress REMOTE_SERVER = new InetSocketAddress("198.51.100.1", 1935);
    static final InetSocketAddress LOOPBACK_SERVER = new InetSocketAddress("127.0.0.1", 1935);

    static List<String> report(List<InetSocketAddress> bound, InetSocketAddress server, List<InetAddress> host) {
        return LocalAddresses.toReport(bound, server, host).stream().map(PeerAddresses::format).toList();
    }

    static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDualStackWildcardReportsBothFamiliesPrivateAddressesIncluded() {
        List<String> r = report(List.of(new InetSocketAddress(addr("::"), 5000)), REMOTE_SERVER, HOST);
        assertThat(r).containsExactly("192.168.1.20:5000", "[fd00:0:0:0:0:0:0:20]:5000", "203.0.113.7:5000");
    }

    @Test
    void anIpv4WildcardReportsIpv4Only() {
        List<String> r = report(List.of(new InetSocketAddress(addr("0.0.0.0"), 5000)), REMOTE_SERVER,
                HOST);
        assertThat(r).containsExactly("192.168.1.20:5000", "203.0.113.7:5000");
    }

    @Test
    void loopbackIsReportedOnlyToAServerOnLoopback() {
        List<InetSocketAddress> bound = List.of(new InetSocketAddress(addr("::"), 5000));
        assertThat(report(bound, LOOPBACK_SERVER, HOST))
                .contains("127.0.0.1:5000", "[0:0:0:0:0:0:0:1]:5000", "192.168.1.20:5000");
        assertThat(report(List.of(new InetSocketAddress(addr("127.0.0.1"), 5000)), REMOTE_SERVER, HOST))
                .isEmpty();
        assertThat(report(List.of(new InetSocketAddress(addr("127.0.0.1"), 5000)), LOOPBACK_SERVER,
                HOST)).containsExactly("127.0.0.1:5000");
    }

    @Test
    void aHostWithNothingUsableReportsAnEmptyList() {
        assertThat(report(List.of(new InetSocketAddress(addr("::"), 5000)), REMOTE_SERVER,
                List.of(addr("127.0.0.1"), addr("fe80::1")))).isEmpty();
    }
}
