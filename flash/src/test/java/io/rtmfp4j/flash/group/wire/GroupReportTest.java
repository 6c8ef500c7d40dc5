package io.rtmfp4j.flash.group.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.Address.Origin;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The group report of netgroup spec §6 and its librtmfp reader rules. */
class GroupReportTest {
    static final String VIEWER = "a1".repeat(32);
    /** Spec §18: the report a librtmfp publisher sent a viewer, both on 127.0.0.1, server on port 1935. */
    static final String CAPTURED = "0a 08 0d 02 7f000001 ab1f  08 0a 03 7f000001 078f  00"
            + "  22 21 0f " + VIEWER + " 00 0f 0a 03 7f000001 078f 02 7f000001 ab1f 00";

    static Address address(String host, int port, Origin origin) {
        return new Address(new InetSocketAddress(host, port), origin);
    }

    static final Address VIEWER_SEEN = address("127.0.0.1", 0xab1f, Origin.OBSERVED);
    static final Address SERVER = address("127.0.0.1", 1935, Origin.RELAY);

    @Test
    void readsAndWritesTheCapturedReport() {
        GroupReport expected = new GroupReport(VIEWER_SEEN, List.of(SERVER),
                List.of(new GroupReport.Entry(VIEWER, 0, List.of(SERVER, VIEWER_SEEN))));
        assertThat(GroupReport.decode(Hex.decode(CAPTURED))).isEqualTo(expected);
        assertThat(GroupMessage.decode(Hex.decode(CAPTURED))).isEqualTo(expected);
        assertThat(Hex.encode(expected.encode())).isEqualTo(CAPTURED.replace(" ", ""));
    }

    @Test
    void aReportWithoutEntriesAndOneWithIpv6() {
        GroupReport empty = new GroupReport(VIEWER_SEEN, List.of(), List.of());
        assertThat(Hex.encode(empty.encode())).isEqualTo("0a080d027f000001ab1f010a00");
        assertThat(GroupReport.decode(empty.encode())).isEqualTo(empty);
        Address v6 = address("2001:db8::5", 40000, Origin.REPORTED);
        GroupReport r = new GroupReport(address("2001:db8::7", 1, Origin.OBSERVED), List.of(SERVER, v6),
                List.of(new GroupReport.Entry(VIEWER, 299, List.of(v6)), new GroupReport.Entry("b2".repeat(32), 4000,
                        List.of())));
        assertThat(GroupReport.decode(r.encode())).isEqualTo(r);
        assertThat(r.encode()[1]).isEqualTo((byte) 20);
    }

    @Test
    void skipsOneByteOptionsAndIgnoresL1() {
        // librtmfp skips "01 xx" before 0d and never checks the byte before 0d; the types up to 7f are flags.
        String withFlags = "0a 01 ff 01 00 55" + CAPTURED.substring(CAPTURED.indexOf("0d") - 1);
        GroupReport plain = GroupReport.decode(Hex.decode(CAPTURED));
        GroupReport flagged = GroupReport.decode(Hex.decode(withFlags));
        assertThat(flagged).isEqualTo(new GroupReport(plain.observedAddress(), plain.senderAddresses(), plain.entries(),
                Set.of(0x00)));
    }

    @Test
    void thisProjectsFlagGoesAsAOneByteOptionBeforeTheObservedAddress() {
        GroupReport r = new GroupReport(VIEWER_SEEN, List.of(), List.of(), Set.of(GroupReport.RTMFP4J_EXTENSIONS));
        assertThat(Hex.encode(r.encode())).startsWith("0a017e");
        assertThat(GroupReport.decode(r.encode())).isEqualTo(r);
        assertThat(GroupReport.decode(Hex.decode(CAPTURED)).flags()).isEmpty();
    }

    @Test
    void readsEightBitLengthsAboveHex81AsOneByte() {
        // Eight IPv6 addresses: a list of 153 bytes; a writer of plain bytes sends 99, not 81 19.
        List<Address> eight = Collections.nCopies(8, address("2001:db8::1", 7, Origin.REPORTED));
        GroupReport r = new GroupReport(VIEWER_SEEN, eight, List.of(new GroupReport.Entry(VIEWER, 1, eight)));
        byte[] vlu = r.encode();
        assertThat(GroupReport.decode(vlu)).isEqualTo(r);
        String hex = Hex.encode(vlu);
        assertThat(hex).contains("81190a");
        byte[] eightBit = Hex.decode(hex.replace("81190a", "990a"));
        assertThat(GroupReport.decode(eightBit)).isEqualTo(r);
    }

    @Test
    void aMalformedEntryEndsTheListAndKeepsThoseBefore() {
        String entry = "22 21 0f " + VIEWER + " 05 08 0a 02 0a000001 0001 00";
        GroupReport.Entry first = new GroupReport.Entry(VIEWER, 5, List.of(address("10.0.0.1", 1, Origin.OBSERVED)));
        String header = CAPTURED.substring(0, CAPTURED.indexOf("00  22"));
        for (String bad : new String[] {
            "22 21 0e " + VIEWER + " 05 08 0a 02 0a000001 0001 00",   // not a peer EPD
            "21 21 0f " + VIEWER + " 05 08 0a 02 0a000001 0001 00",   // not 22
            "22 21 0f " + VIEWER + " 05 09 0a 02 0a000001 0001",      // a length one byte too long
            "22 21 0f " + VIEWER + " 05 00 0a 02 0a000001 0001 00",   // empty address option
            "22 21 0f " + VIEWER + " 05 06 0a 02 0a000001 00 00"}) {  // truncated address
            GroupReport r = GroupReport.decode(Hex.decode(header + "00 " + entry + bad + " 00 00 00 00"));
            assertThat(r.entries()).as(bad).containsExactly(first);
        }
        // An entry whose address option is not 0a is skipped, and reading goes on (librtmfp).
        GroupReport r = GroupReport.decode(Hex.decode(header + "00 22 21 0f " + VIEWER + " 05 08 0b 02 0a000001 0001 00"
                + entry));
        assertThat(r.entries()).containsExactly(first);
        // A marker other than 00 before an entry ends the list.
        assertThat(GroupReport.decode(Hex.decode(header + "01 " + entry)).entries()).isEmpty();
    }

    @Test
    void entriesOfAnyAgeAreReturned() {
        GroupReport.Entry old = new GroupReport.Entry(VIEWER, 300, List.of());
        GroupReport r = new GroupReport(VIEWER_SEEN, List.of(), List.of(old));
        assertThat(GroupReport.decode(r.encode()).entries()).containsExactly(old);
    }

    @Test
    void keepsTheFirstEightAddressesOfALongerList() {
        StringBuilder nine = new StringBuilder();
        for (int i = 1; i <= 9; i++) {
            nine.append("02 0a0000").append(String.format("%02x", i)).append("0001");
        }
        GroupReport r = GroupReport.decode(Hex.decode("0a 08 0d 02 7f000001 ab1f 40 0a" + nine + "00"));
        assertThat(r.senderAddresses()).hasSize(8).last().isEqualTo(address("10.0.0.8", 1, Origin.OBSERVED));
    }

    @Test
    void malformedHeadersAreRejected() {
        for (String bad : new String[] {"0a", "0a 08 0e 02 7f000001 ab1f 01 0a 00", "0a 08 0d 02 7f000001",
                "0a 08 0d 02 7f000001 ab1f 01 0b 00", "0a 08 0d 02 7f000001 ab1f 00 0a 00",
                "0a 08 0d 02 7f000001 ab1f 09 0a 02 7f000001", "0a 08 0d 02 7f000001 ab1f 04 0a 02 7f00",
                "0b 08 0d 02 7f000001 ab1f 01 0a 00", "0a 01 01 01"}) {
            assertThatThrownBy(() -> GroupReport.decode(Hex.decode(bad))).as(bad)
                    .isInstanceOf(WireFormatException.class);
        }
    }

    @Test
    void refusesToBuildOversizedLists() {
        List<Address> nine = Collections.nCopies(9, SERVER);
        assertThatThrownBy(() -> new GroupReport(VIEWER_SEEN, nine, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupReport.Entry(VIEWER, 0, nine)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupReport.Entry(VIEWER, -1, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupReport.Entry("abc", 0, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
