package io.rtmfp4j.flash.group.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.Address.Origin;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.ReceiveMode;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Every group message decodes to what was encoded; no bytes make the decoder throw anything but WireFormatException. */
class GroupMessageProperties {

    static Arbitrary<String> peerIds() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Hex::encode);
    }

    static Arbitrary<Address> addresses() {
        Arbitrary<byte[]> ip = Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofSize(16));
        return Combinators.combine(ip, Arbitraries.integers().between(0, 65535), Arbitraries.of(Origin.values()))
                .as((raw, port, origin) -> new Address(new InetSocketAddress(inet(raw), port), origin));
    }

    private static InetAddress inet(byte[] raw) {
        try {
            return raw.length == 16 ? Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Provide
    Arbitrary<GroupMessage> messages() {
        Arbitrary<GroupMessage> connect = Combinators.combine(Arbitraries.strings().withChars("0123456789abcdefABCDEF")
                .ofLength(64), Arbitraries.bytes().array(byte[].class).ofSize(32), peerIds()).as(GroupConnect::new);
        Arbitrary<GroupMessage> prelude = Arbitraries.strings().ofMaxLength(200).alpha().optional()
                .map(GroupBeginPrelude::new);
        Arbitrary<GroupMessage> begin = Arbitraries.of(ReceiveMode.values()).map(GroupBegin::new);
        Arbitrary<GroupReport.Entry> entry = Combinators.combine(peerIds(),
                Arbitraries.longs().between(0, Long.MAX_VALUE), addresses().list().ofMaxSize(GroupReport.MAX_ADDRESSES))
                .as(GroupReport.Entry::new);
        Arbitrary<GroupMessage> report = Combinators.combine(addresses(),
                addresses().list().ofMaxSize(GroupReport.MAX_ADDRESSES), entry.list().ofMaxSize(12),
                Arbitraries.integers().between(0, 0x7f).filter(f -> f != 0x0d).set().ofMaxSize(3))
                .as(GroupReport::new);
        return Arbitraries.oneOf(connect, prelude, begin, Arbitraries.just(DisconnectRequest.INSTANCE), report,
                multicast(), fragments());
    }

    static Arbitrary<byte[]> bytes(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
    }

    static Arbitrary<GroupMessage> multicast() {
        Arbitrary<Long> ids = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<Long> periods = Arbitraries.longs().between(0, 1L << 40);
        Arbitrary<GroupMessage> announcement = Combinators.combine(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(200).withCharRange(' ', '~'),
                Arbitraries.bytes().array(byte[].class).ofSize(StreamAnnouncement.KEY_LENGTH), Arbitraries.of(true, false),
                periods, periods, periods).as(StreamAnnouncement::new);
        Arbitrary<GroupMessage> map = Combinators.combine(ids, bytes(300)).as(FragmentsMap::new);
        return Arbitraries.oneOf(announcement, ids.map(StreamEnd::new), map,
                Arbitraries.integers().between(0, 255).map(PushRequest::new), ids.map(PullRequest::new));
    }

    static Arbitrary<GroupMessage> fragments() {
        Arbitrary<Long> ids = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<Integer> types = Arbitraries.oneOf(Arbitraries.of(0x08, 0x09, 0x12, 0x0f, 0x14, 0x11),
                Arbitraries.integers().between(0, 255));
        Arbitrary<Long> times = Arbitraries.oneOf(Arbitraries.longs().between(0, 0xffffffL),
                Arbitraries.longs().between(0, 0xffffffffL));
        Arbitrary<GroupMessage> whole = Combinators.combine(ids, types, times, bytes(100)).as(MediaFragment::whole);
        // Some of these are refused as ambiguous on the wire (see MediaFragment); the rest must read back.
        Arbitrary<GroupMessage> first = Combinators.combine(ids, Arbitraries.integers().between(0, 255), types, times,
                bytes(100)).as((id, rest, type, time, payload) -> (GroupMessage) MediaFragment.first(id, rest, type, time,
                        payload)).ignoreException(IllegalArgumentException.class);
        Arbitrary<GroupMessage> middle = Combinators.combine(ids, Arbitraries.integers().between(1, 255), bytes(100))
                .as(MediaFragment::middle);
        Arbitrary<GroupMessage> last = Combinators.combine(ids, bytes(100)).as(MediaFragment::last);
        return Arbitraries.oneOf(whole, first, middle, last);
    }

    @Property(tries = 3000)
    void decodeInvertsEncode(@ForAll("messages") GroupMessage m) {
        assertThat(GroupMessage.decode(m.encode())).isEqualTo(m);
    }

    @Property(tries = 3000)
    void anyBytesDecodeOrFailWithWireFormatException(@ForAll @Size(max = 120) byte[] bytes) {
        decodeQuietly(bytes);
    }

    /** Valid messages with a byte changed or cut off, to reach deep into each reader. */
    @Property(tries = 3000)
    void damagedMessagesDecodeOrFailWithWireFormatException(@ForAll("messages") GroupMessage m,
            @ForAll int position, @ForAll byte value, @ForAll boolean cut) {
        decodeQuietly(HostileBytes.damaged(m.encode(), position, value, cut));
    }

    private static void decodeQuietly(byte[] bytes) {
        HostileBytes.decodeOrRefuse(bytes, GroupMessage::decode, GroupMessage::encode);
    }
}
