package io.rtmfp4j.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.chunk.ChunkArbitraries;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class AddressProperties {

    @Provide
    Arbitrary<Address> addresses() {
        return ChunkArbitraries.addresses();
    }

    @Property
    void roundTrips(@ForAll("addresses") Address address) {
        ByteWriter w = new ByteWriter();
        address.encode(w);
        assertThat(w.size()).isEqualTo(address.encodedSize());
        ByteReader r = new ByteReader(w.toByteArray());
        assertThat(Address.decode(r)).isEqualTo(address);
        assertThat(r.hasRemaining()).isFalse();
    }

    @Example
    void decodesObservedIpv4() {
        Address a = Address.decode(new ByteReader(Hex.decode("02 7f 00 00 01 b9 43")));
        assertThat(a.origin()).isEqualTo(Address.Origin.OBSERVED);
        assertThat(a.socketAddress().getAddress()).isInstanceOf(Inet4Address.class);
        assertThat(a.socketAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(a.socketAddress().getPort()).isEqualTo(0xb943);
    }

    @Example
    void decodesIpv6AndIgnoresReservedBits() {
        Address a = Address.decode(new ByteReader(Hex.decode("fd 20010db8000000000000000000000001 07 8f")));
        assertThat(a.origin()).isEqualTo(Address.Origin.REPORTED);
        assertThat(a.socketAddress().getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(a.socketAddress().getPort()).isEqualTo(1935);
    }

    @Example
    void ipv4MappedIpv6StaysIpv6() {
        byte[] bytes = Hex.decode("83 00000000000000000000ffff7f000001 07 8f");
        Address a = Address.decode(new ByteReader(bytes));
        assertThat(a.origin()).isEqualTo(Address.Origin.RELAY);
        ByteWriter w = new ByteWriter();
        a.encode(w);
        assertThat(w.toByteArray()).isEqualTo(bytes);
    }

    @Example
    void rejectsTruncatedAddress() {
        assertThatThrownBy(() -> Address.decode(new ByteReader(Hex.decode("80 00 00 00 00 00 00"))))
                .isInstanceOf(WireFormatException.class);
    }

    @Example
    void rejectsUnresolvedAddress() {
        assertThatThrownBy(() -> new Address(InetSocketAddress.createUnresolved("example.org", 1935), Address.Origin.UNKNOWN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
