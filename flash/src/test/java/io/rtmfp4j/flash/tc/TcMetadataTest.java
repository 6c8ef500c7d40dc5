package io.rtmfp4j.flash.tc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The "TC" flow metadata of spec §6.1. */
class TcMetadataTest {

    private static void assertVector(TcMetadata metadata, String hex) {
        assertThat(metadata.encode()).isEqualTo(Hex.decode(hex));
        assertThat(TcMetadata.parse(Hex.decode(hex))).contains(metadata);
    }

    @Example
    void vectorsOfTheSpecTable() {
        assertVector(TcMetadata.control(), "54 43 04 00");
        assertVector(TcMetadata.stream(1), "54 43 04 01");
        assertVector(new TcMetadata(TcMetadata.SID | TcMetadata.RXI, 1), "54 43 05 01");
        assertVector(TcMetadata.stream(2000001), "54 43 04 fa 89 01");
    }

    @Example
    void receiveIntent() {
        assertThat(TcMetadata.stream(1).networkOrder()).isFalse();
        assertThat(TcMetadata.parse(Hex.decode("54 43 05 01")).orElseThrow().networkOrder()).isTrue();
        assertThat(TcMetadata.control().streamId()).isZero();
    }

    @Example
    void otherFamiliesAndMalformedMetadataAreNotTc() {
        for (String hex : new String[] {"", "54", "54 43", "47 43 04 00", "54 43 00", "54 43 01 01", "54 43 04",
                "54 43 04 81", "54 43 04 00 00", "54 43 04 ff ff ff ff ff ff ff ff ff 7f"}) {
            assertThat(TcMetadata.parse(Hex.decode(hex))).as(hex).isEqualTo(Optional.empty());
        }
    }

    @Example
    void otherFlagBitsAreKept() {
        assertVector(new TcMetadata(0x84, 3), "54 43 84 03");
    }

    @Example
    void invalidFieldsAreRejected() {
        assertThatThrownBy(() -> new TcMetadata(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TcMetadata(0x104, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcMetadata.stream(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void roundTrips(@ForAll @IntRange(max = 255) int flags, @ForAll @LongRange(max = Long.MAX_VALUE) long streamId) {
        TcMetadata metadata = new TcMetadata(flags | TcMetadata.SID, streamId);
        assertThat(TcMetadata.parse(metadata.encode())).contains(metadata);
    }

    /**
     * Anything after the "TC" signature parses to metadata whose own encoding parses back to it, or
     * not at all. (Not byte-for-byte: a stream ID in a non-minimal VLU, {@code 80 01} for 1, is
     * accepted as senders may write one, and re-encoded minimally.)
     */
    @Property(tries = 3000)
    void anyBytesAfterTheSignatureParseOrAreNotTc(@ForAll @Size(max = 12) byte[] rest) {
        byte[] bytes = new byte[2 + rest.length];
        bytes[0] = 0x54;
        bytes[1] = 0x43;
        System.arraycopy(rest, 0, bytes, 2, rest.length);
        TcMetadata.parse(bytes).ifPresent(m -> {
            assertThat(TcMetadata.parse(m.encode())).contains(m);
            assertThat(m.encode().length).isLessThanOrEqualTo(bytes.length);
        });
    }
}
