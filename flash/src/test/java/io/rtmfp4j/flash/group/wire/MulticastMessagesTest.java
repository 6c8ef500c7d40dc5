package io.rtmfp4j.flash.group.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import org.junit.jupiter.api.Test;

/** The multicast messages of netgroup spec §8, against the librtmfp capture of §18. */
class MulticastMessagesTest {
    static final String KEY = "5a".repeat(32);
    static final String ANNOUNCEMENT = "21 06 00 6c697665 31  21 01 " + KEY + "  01 02  03 03 be 40  04 04 92 a7 60"
            + "  02 05 64  03 07 93 44";

    @Test
    void announcementOfTheCapture() {
        StreamAnnouncement a = new StreamAnnouncement("live1", Hex.decode(KEY), false, 8000, 100, 2500);
        assertThat(Hex.encode(a.encode())).isEqualTo(ANNOUNCEMENT.replace(" ", ""));
        assertThat(GroupMessage.decode(Hex.decode(ANNOUNCEMENT))).isEqualTo(a);
        assertThat(Hex.encode(a.streamKeyOption())).isEqualTo("2101" + KEY);
        StreamAnnouncement toAll = new StreamAnnouncement("live1", Hex.decode(KEY), true, 8000, 100, 2500);
        assertThat(Hex.encode(toAll.encode())).contains("01020106" + "0303be40");
        assertThat(StreamAnnouncement.decode(toAll.encode())).isEqualTo(toAll);
    }

    @Test
    void announcementsAreReadLeniently() {
        // Parameters in another order, after 01 06 (where librtmfp stops), an unknown option, and a
        // missing fetch period, which takes Flash's default.
        String shuffled = "21 06 00 6c697665 31  21 01 " + KEY + "  01 06  02 05 0a  03 09 aabb  03 03 81 00  01 02";
        assertThat(StreamAnnouncement.decode(Hex.decode(shuffled)))
                .isEqualTo(new StreamAnnouncement("live1", Hex.decode(KEY), true, 128, 10, 2500));
        for (String bad : new String[] {
            "21 06 01 6c697665 31  21 01 " + KEY + " 01 02",          // name is not option 00
            "21 01 00  21 01 " + KEY + " 01 02 01 02 01 02",           // empty name
            "21 06 00 6c697665 31  21 02 " + KEY + " 01 02",           // key is not option 01
            "21 06 00 6c697665 31  20 01 " + KEY.substring(2) + " 01 02 01 02", // key of 31 bytes
            "21 06 00 6c697665 31  21 01 " + KEY + " 01 03",           // window without a value
            "21 06 00 6c697665 31  21 01 " + KEY + " 05 03 be"}) {     // option past the end
            assertThatThrownBy(() -> StreamAnnouncement.decode(Hex.decode(bad))).as(bad)
                    .isInstanceOf(WireFormatException.class);
        }
    }

    @Test
    void endOfStreamIsTheShortForm() {
        assertThat(new StreamEnd(86).encode()).isEqualTo(Hex.decode("21 56"));
        assertThat(GroupMessage.decode(Hex.decode("21 56"))).isEqualTo(new StreamEnd(86));
        assertThat(GroupMessage.decode(Hex.decode("21 ff ff ff 7f"))).isEqualTo(new StreamEnd(0xfffffffL));
        assertThatThrownBy(() -> StreamEnd.decode(Hex.decode(ANNOUNCEMENT))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> StreamAnnouncement.decode(Hex.decode("21 56"))).isInstanceOf(WireFormatException.class);
    }

    @Test
    void fragmentsMapOfTheCapture() {
        // "22 0b ff 03": holds 1 to 11.
        FragmentsMap m = FragmentsMap.decode(Hex.decode("22 0b ff 03"));
        assertThat(m.latestId()).isEqualTo(11);
        for (long id = 0; id <= 13; id++) {
            assertThat(m.holds(id)).as("id %d", id).isEqualTo(id >= 1 && id <= 11);
        }
        assertThat(FragmentsMap.of(11, 1, id -> true)).isEqualTo(m);
        assertThat(FragmentsMap.of(11, 1, id -> true).encode()).isEqualTo(Hex.decode("22 0b ff 03"));
        FragmentsMap odd = FragmentsMap.of(20, 0, id -> id % 2 == 1);
        assertThat(Hex.encode(odd.encode())).isEqualTo("2214" + "5555" + "05");
        assertThat(odd.holds(20)).isTrue();
        assertThat(odd.holds(19)).isTrue();
        assertThat(odd.holds(18)).isFalse();
        assertThat(FragmentsMap.of(5, 9, id -> true).encode()).isEqualTo(Hex.decode("22 05"));
        assertThat(FragmentsMap.of(100_000, 0, id -> true).bitmap()).hasSize(FragmentsMap.MAX_BITMAP_BYTES);
    }

    @Test
    void pushAndPullOfTheCapture() {
        PushRequest push = (PushRequest) GroupMessage.decode(Hex.decode("23 80"));
        assertThat(push.mask()).isEqualTo(0x80);
        assertThat(push.wants(7)).isTrue();
        assertThat(push.wants(15)).isTrue();
        assertThat(push.wants(6)).isFalse();
        assertThat(new PushRequest(0x80).encode()).isEqualTo(Hex.decode("23 80"));
        assertThat(GroupMessage.decode(Hex.decode("2b 0a"))).isEqualTo(new PullRequest(10));
        assertThat(new PullRequest(11).encode()).isEqualTo(Hex.decode("2b 0b"));
        assertThatThrownBy(() -> GroupMessage.decode(Hex.decode("23"))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> new PushRequest(256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fragmentsOfTheCapture() {
        // "20 0f 09 00000078 27 01 00 00 00 …": a whole video message, id 15, t = 120 ms.
        byte[] body = Hex.decode("27 01 00 00 00 aa bb");
        MediaFragment whole = MediaFragment.whole(15, 0x09, 120, body);
        assertThat(whole.encode()).isEqualTo(Hex.decode("20 0f 09 00000078 27 01 00 00 00 aa bb"));
        assertThat(GroupMessage.decode(whole.encode())).isEqualTo(whole);
        // A key frame split into ids 82 to 85.
        MediaFragment first = MediaFragment.first(82, 3, 0x09, 1000, Hex.decode("17 01"));
        assertThat(first.encode()).isEqualTo(Hex.decode("30 52 03 09 000003e8 17 01"));
        assertThat(MediaFragment.middle(83, 2, Hex.decode("cc")).encode()).isEqualTo(Hex.decode("10 53 02 cc"));
        assertThat(MediaFragment.middle(84, 1, Hex.decode("dd")).encode()).isEqualTo(Hex.decode("10 54 01 dd"));
        assertThat(MediaFragment.last(85, Hex.decode("ee")).encode()).isEqualTo(Hex.decode("00 55 ee"));
        for (String hex : new String[] {"30 52 03 09 000003e8 17 01", "10 53 02 cc", "10 54 01 dd", "00 55 ee", "00 55"}) {
            assertThat(GroupMessage.decode(Hex.decode(hex)).encode()).as(hex).isEqualTo(Hex.decode(hex));
        }
        assertThat(whole.time()).isEqualTo(120);
        assertThat(MediaFragment.whole(1, 8, 0xffffffffL, new byte[0]).encode()).isEqualTo(Hex.decode("20 01 08 ffffffff"));
        assertThat(MediaFragment.decode(Hex.decode("20 01 08 ffffffff")).time()).isEqualTo(0xffffffffL);
    }

    @Test
    void flashsFirstPieceWithoutItsRestByte() {
        // Spec §8.6: Flash may leave the rest byte out; 09 then 00 (no media type) is type and time.
        MediaFragment f = MediaFragment.decode(Hex.decode("30 52 09 000003e8 17 01"));
        assertThat(f).isEqualTo(MediaFragment.first(82, 0, 0x09, 1000, Hex.decode("17 01")));
        assertThat(f.encode()).isEqualTo(Hex.decode("30 52 09 000003e8 17 01"));
        // A split data message is read right, where librtmfp's peek takes its rest byte for the type.
        MediaFragment data = MediaFragment.decode(Hex.decode("30 52 03 12 000003e8 02"));
        assertThat(data.rest()).isEqualTo(3);
        assertThat(data.mediaType()).isEqualTo(0x12);
        // Eight pieces following a video piece: 08 then 09 is rest and type.
        assertThat(MediaFragment.decode(Hex.decode("30 52 08 09 000003e8")).rest()).isEqualTo(8);
    }

    @Test
    void fragmentsThatCouldNotReadBackAreRefused() {
        assertThatThrownBy(() -> MediaFragment.first(1, 0, 0x12, 0, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaFragment.first(1, 0, 0x09, 0x09000000L, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaFragment.first(1, 8, 0x16, 0, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MediaFragment.first(1, 7, 0x16, 0, new byte[0]).rest()).isEqualTo(7);
        assertThatThrownBy(() -> MediaFragment.middle(1, 0, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaFragment.whole(1, 8, -1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaFragment.decode(Hex.decode("10 53 00 cc"))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> MediaFragment.decode(Hex.decode("30 53 00 00 00000000"))).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> MediaFragment.decode(Hex.decode("20 01 08 0000"))).isInstanceOf(WireFormatException.class);
    }
}
