package io.rtmfp4j.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.chunk.ChunkArbitraries;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class ClusterMessageProperties {
    private static Arbitrary<String> ids() {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
    }

    private static Arbitrary<byte[]> fields() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(ClusterMessage.MAX_FIELD);
    }

    @Provide
    Arbitrary<ClusterMessage> messages() {
        Arbitrary<ClusterMessage> forward = Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE >> 2),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(60), ids(), fields(), fields(),
                ChunkArbitraries.addresses()).as(ClusterMessage.ForwardHello::new);
        Arbitrary<ClusterMessage> answer = Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE >> 2),
                ChunkArbitraries.addresses().list().ofMaxSize(ClusterMessage.MAX_ADDRESSES))
                .as(ClusterMessage.HelloForwarded::new);
        Arbitrary<ClusterMessage> announce = Combinators.combine(ids(), ids(), ids().list().ofMaxSize(40))
                .as(ClusterMessage.Announce::new);
        return Arbitraries.oneOf(forward, answer, announce);
    }

    @Property
    void roundTrips(@ForAll("messages") ClusterMessage m) {
        assertThat(ClusterMessage.decode(m.encode())).isEqualTo(m);
    }

    @Property
    void anyBytesDecodeOrFailWithTheProjectException(@ForAll @Size(max = 300) byte[] bytes) {
        try {
            ClusterMessage m = ClusterMessage.decode(bytes);
            assertThat(m.encode()).isNotEmpty();
        } catch (WireFormatException expected) {
            // Dropped and counted by the link.
        }
    }

    @Property
    void everyTruncationIsRefused(@ForAll("messages") ClusterMessage m) {
        byte[] full = m.encode();
        for (int n = 0; n < full.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            assertThatThrownBy(() -> ClusterMessage.decode(cut)).isInstanceOf(WireFormatException.class);
        }
    }

    @Example
    void aCountBeyondWhatRemainsIsRefusedBeforeAllocating() {
        // HELLO_FORWARDED, id 1, then a count of 2^28 addresses and nothing after it.
        byte[] m = {ClusterMessage.HELLO_FORWARDED, 1, (byte) 0x81, (byte) 0x80, (byte) 0x80, 0};
        assertThatThrownBy(() -> ClusterMessage.decode(m)).isInstanceOf(WireFormatException.class);
    }

    @Example
    void aForwardRequestIsSmall() {
        byte[] epd = new byte[34];
        byte[] tag = new byte[16];
        ClusterMessage.ForwardHello f = new ClusterMessage.ForwardHello(12345, "8bb58bda-1cfa-460f-a432-810b82a740e2",
                "ab".repeat(32), epd, tag, new Address(new java.net.InetSocketAddress("203.0.113.7", 50000),
                        Address.Origin.OBSERVED));
        // type, ID, node name, peer ID, EPD, tag, address: 1 + 2 + 37 + 32 + 35 + 17 + 7 bytes.
        assertThat(f.encode().length).isEqualTo(131);
        assertThat(new ClusterMessage.HelloForwarded(12345, List.of(f.initiator())).encode()).hasSize(11);
    }
}
