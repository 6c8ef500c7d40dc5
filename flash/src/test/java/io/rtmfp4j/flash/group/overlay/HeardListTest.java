package io.rtmfp4j.flash.group.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.Address.Origin;
import io.rtmfp4j.flash.group.GroupAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HeardListTest {
    static final String SELF = "00".repeat(32);
    static final long S = 1_000_000L;

    static String peer(int i) {
        return String.format("%064x", i + 1);
    }

    static Address addr(int lastOctet, int port, Origin origin) {
        return new Address(new InetSocketAddress("10.0.0." + lastOctet, port), origin);
    }

    @Test
    void addsRefreshesAndMergesAddresses() {
        HeardList list = new HeardList(SELF);
        HeardList.Heard first = list.heard(peer(1), 100 * S, List.of(addr(1, 1, Origin.OBSERVED))).orElseThrow();
        assertThat(first.isNew()).isTrue();
        assertThat(first.member().address()).isEqualTo(GroupAddress.ofPeer(peer(1)));
        assertThat(first.newAddresses()).containsExactly(addr(1, 1, Origin.OBSERVED));

        Address server = addr(9, 1935, Origin.RELAY);
        HeardList.Heard again = list.heard(peer(1).toUpperCase(Locale.ROOT), 50 * S,
                List.of(addr(1, 1, Origin.REPORTED), addr(2, 2, Origin.REPORTED), server,
                        addr(3, 3, Origin.UNKNOWN))).orElseThrow();
        assertThat(again.isNew()).isFalse();
        // lastHeard only moves forward; an address already known (whatever its origin) is not new.
        assertThat(again.member().lastHeardMicros()).isEqualTo(100 * S);
        assertThat(again.newAddresses()).containsExactly(addr(2, 2, Origin.REPORTED), server);
        assertThat(again.member().addresses()).containsExactly(addr(1, 1, Origin.OBSERVED), addr(2, 2, Origin.REPORTED));
        assertThat(again.member().serverAddress()).contains(server);

        Address otherServer = addr(8, 1935, Origin.RELAY);
        HeardList.Heard moved = list.heard(peer(1), 200 * S, List.of(otherServer)).orElseThrow();
        assertThat(moved.member().serverAddress()).contains(otherServer);
        assertThat(moved.member().lastHeardMicros()).isEqualTo(200 * S);
        assertThat(list.get(peer(1))).contains(moved.member());
        assertThat(list.at(GroupAddress.ofPeer(peer(1)))).contains(moved.member());
    }

    @Test
    void keepsSevenAddresses() {
        HeardList list = new HeardList(SELF);
        List<Address> ten = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ten.add(addr(i, i, Origin.OBSERVED));
        }
        HeardList.Heard h = list.heard(peer(1), 0, ten).orElseThrow();
        assertThat(h.member().addresses()).containsExactlyElementsOf(ten.subList(0, HeardList.MAX_ADDRESSES));
        assertThat(list.heard(peer(1), 0, ten).orElseThrow().newAddresses()).isEmpty();
    }

    @Test
    void neverListsItself() {
        HeardList list = new HeardList(SELF.toUpperCase(Locale.ROOT));
        assertThat(list.heard(SELF, 0, List.of())).isEmpty();
        assertThat(list.size()).isZero();
        assertThatThrownBy(() -> list.heard("xyz", 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeardList(SELF, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expiresMembersNotHeardOfForFiveMinutes() {
        HeardList list = new HeardList(SELF);
        list.heard(peer(1), 0, List.of());
        list.heard(peer(2), 10 * S, List.of());
        assertThat(list.expire(HeardList.EXPIRY_MICROS)).isEmpty();
        List<HeardList.Member> dropped = list.expire(HeardList.EXPIRY_MICROS + 1);
        assertThat(dropped).extracting(HeardList.Member::peerId).containsExactly(peer(1));
        assertThat(list.ring()).containsExactly(GroupAddress.ofPeer(peer(2)));
        assertThat(list.get(peer(1))).isEmpty();
    }

    @Test
    void theDeadAreRefusedForFiveMinutes() {
        HeardList list = new HeardList(SELF);
        list.heard(peer(1), 0, List.of());
        assertThat(list.died(peer(1), 1000 * S)).isPresent();
        assertThat(list.isDead(peer(1))).isTrue();
        assertThat(list.heard(peer(1), 1001 * S, List.of())).isEmpty();
        list.expire(1000 * S + HeardList.DIED_MICROS - 1);
        assertThat(list.heard(peer(1), 1002 * S, List.of())).isEmpty();
        list.expire(1000 * S + HeardList.DIED_MICROS);
        assertThat(list.isDead(peer(1))).isFalse();
        assertThat(list.heard(peer(1), 1300 * S, List.of()).orElseThrow().isNew()).isTrue();
        assertThat(list.died(peer(7), 0)).isEmpty();
    }

    @Test
    void whenFullTheLeastRecentlyHeardMakesRoomForSomeoneHeardMoreRecently() {
        HeardList list = new HeardList(SELF, 3);
        list.heard(peer(1), 10, List.of());
        list.heard(peer(2), 5, List.of());
        list.heard(peer(3), 20, List.of());
        assertThat(list.heard(peer(4), 5, List.of())).isEmpty();
        assertThat(list.heard(peer(4), 6, List.of())).isPresent();
        assertThat(list.members()).extracting(HeardList.Member::peerId).containsExactlyInAnyOrder(peer(1), peer(3),
                peer(4));
        assertThat(list.ring()).hasSize(3).doesNotContain(GroupAddress.ofPeer(peer(2)));
        // A known member is refreshed even when the list is full.
        assertThat(list.heard(peer(1), 30, List.of()).orElseThrow().member().lastHeardMicros()).isEqualTo(30);
        assertThat(list.capacity()).isEqualTo(3);
    }

    @Test
    void ringIsALiveReadOnlyView() {
        HeardList list = new HeardList(SELF);
        var ring = list.ring();
        list.heard(peer(1), 0, List.of());
        assertThat(ring).containsExactly(GroupAddress.ofPeer(peer(1)));
        assertThatThrownBy(() -> ring.add(GroupAddress.ofPeer(peer(2)))).isInstanceOf(UnsupportedOperationException.class);
        list.remove(peer(1));
        assertThat(ring).isEmpty();
    }
}
