package io.rtmfp4j.flash.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PeerAddressesTest {
    @Test
    void readsIpv4AndBracketedIpv6() {
        assertThat(PeerAddresses.parse("192.168.1.10:50123")).contains(new InetSocketAddress("192.168.1.10", 50123));
        assertThat(PeerAddresses.parse("[2001:db8::5]:50123")).contains(new InetSocketAddress("2001:db8::5", 50123));
        assertThat(PeerAddresses.parse("[fe80::1%eth0]:1935")).contains(new InetSocketAddress("fe80::1", 1935));
    }

    @Test
    void formatsInTheFormItReads() {
        assertThat(PeerAddresses.format(new InetSocketAddress("192.168.1.10", 50123))).isEqualTo("192.168.1.10:50123");
        InetSocketAddress v6 = new InetSocketAddress("2001:db8::5", 1935);
        assertThat(PeerAddresses.format(v6)).startsWith("[2001:db8:").endsWith("]:1935");
        assertThat(PeerAddresses.parse(PeerAddresses.format(v6))).contains(v6);
    }

    @Test
    void refusesNamesBadPortsAndNonsenseWithoutLookingAnythingUp() {
        assertThat(PeerAddresses.parse("example.com:1935")).isEmpty();
        assertThat(PeerAddresses.parse("999.1.1.1:1935")).isEmpty();
        assertThat(PeerAddresses.parse("10.0.0.1:0")).isEmpty();
        assertThat(PeerAddresses.parse("10.0.0.1:70000")).isEmpty();
        assertThat(PeerAddresses.parse("10.0.0.1")).isEmpty();
        assertThat(PeerAddresses.parse("[::zz]:1")).isEmpty();
        assertThat(PeerAddresses.parse("0.0.0.0:1935")).isEmpty();
        assertThat(PeerAddresses.parse("")).isEmpty();
    }
}
