package io.rtmfp4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveCiphersTest {
    private static final SessionKeys I_KEYS = SessionKeys.derive(TestVectors.B2_SECRET, TestVectors.B2_SKIC, TestVectors.B2_SKRC);
    private static final SessionKeys R_KEYS = SessionKeys.derive(TestVectors.B2_SECRET, TestVectors.B2_SKRC, TestVectors.B2_SKIC);

    private static PacketProtection sender() {
        return PacketProtection.forSession(new SessionSecurity(I_KEYS, 0, 0, false, false, DhGroup.GROUP_2));
    }

    private static PacketProtection receiver() {
        return PacketProtection.forSession(new SessionSecurity(R_KEYS, 0, 0, false, false, DhGroup.GROUP_2));
    }

    @Test
    void onlyTheMostRecentlyUsedProtectionsOfAThreadHoldCiphersAndTheOthersKeyThemAgain() {
        List<PacketProtection> idle = new ArrayList<>();
        for (int i = 0; i < LiveCiphers.CAPACITY + 10; i++) {
            idle.add(sender());
        }
        byte[] packet = {0x0d, 1, 2, 3};
        for (PacketProtection p : idle) {
            p.seal(7, packet, 0, packet.length);
        }

        assertThat(idle.subList(0, 10)).noneMatch(PacketProtection::holdsCiphers);
        assertThat(idle.subList(10, idle.size())).allMatch(PacketProtection::holdsCiphers);
        assertThat(LiveCiphers.liveOnThisThread()).isLessThanOrEqualTo(LiveCiphers.CAPACITY);

        // The first one gave its ciphers up; its next packet keys them again, and decrypts as before.
        PacketProtection first = idle.get(0);
        byte[] datagram = first.seal(7, packet, 0, packet.length);
        assertThat(first.holdsCiphers()).isTrue();
        assertThat(idle.get(10).holdsCiphers()).isFalse();
        assertThat(receiver().open(datagram, 0, datagram.length)).startsWith(packet);
        idle.forEach(PacketProtection::release);
    }

    @Test
    void aReleasedProtectionLeavesTheThreadsLiveSet() {
        PacketProtection p = sender();
        byte[] packet = {0x0d, 1};
        p.seal(1, packet, 0, 2);
        int before = LiveCiphers.liveOnThisThread();

        p.release();

        assertThat(p.holdsCiphers()).isFalse();
        assertThat(LiveCiphers.liveOnThisThread()).isEqualTo(before - 1);
    }

    @Test
    void ciphersGivenUpAreKeyedAgainWithTheKeysOfTheProtectionThatTakesThem() {
        byte[] packet = {0x0d, 5, 6, 7};
        PacketProtection first = sender();
        first.seal(3, packet, 0, packet.length);
        int spares = LiveCiphers.sparesOnThisThread();

        first.release();
        assertThat(LiveCiphers.sparesOnThisThread()).isEqualTo(Math.min(spares + 2, LiveCiphers.SPARES));

        // The other direction's keys: a cipher still keyed as the first one's would not open at the far end.
        PacketProtection next = receiver();
        byte[] datagram = next.seal(3, packet, 0, packet.length);
        assertThat(LiveCiphers.sparesOnThisThread()).isEqualTo(Math.min(spares + 2, LiveCiphers.SPARES) - 2);
        PacketProtection far = sender();
        assertThat(far.open(datagram, 0, datagram.length)).startsWith(packet);
        byte[] back = far.seal(3, packet, 0, packet.length);
        assertThat(next.open(back, 0, back.length)).startsWith(packet);
        next.release();
        far.release();
    }

    @Test
    void aThreadKeepsAtMostItsShareOfSpareCiphers() {
        List<PacketProtection> many = new ArrayList<>();
        byte[] packet = {0x0d, 1};
        for (int i = 0; i < LiveCiphers.SPARES; i++) {
            PacketProtection p = sender();
            p.seal(1, packet, 0, packet.length);
            many.add(p);
        }
        many.forEach(PacketProtection::release);

        assertThat(LiveCiphers.sparesOnThisThread()).isEqualTo(LiveCiphers.SPARES);
    }
}
