package io.rtmfp4j.flash.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.flash.group.wire.FragmentsMap;
import io.rtmfp4j.flash.group.wire.MediaFragment;
import io.rtmfp4j.flash.tc.TcMessage;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The pure parts of a multicast player (netgroup spec §8.6): cutting messages into fragments, the
 * store that holds them, reassembly and skipping in the playout, and where a late player starts.
 */
class MulticastFragmentsTest {
    static final long HOLD = 1_000_000;

    static TcMessage video(long time, int size, boolean key) {
        byte[] body = new byte[size];
        body[0] = (byte) (key ? 0x17 : 0x27);
        body[1] = 1;
        for (int i = 2; i < size; i++) {
            body[i] = (byte) (i * 31 + time);
        }
        return new TcMessage(TcMessage.VIDEO, time, body);
    }

    static List<TcMessage> play(FragmentStore store, Playout playout, long now) {
        List<TcMessage> out = new ArrayList<>();
        playout.run(now, HOLD, Long.MAX_VALUE, (m, id) -> out.add(m));
        return out;
    }

    @Property(tries = 200)
    void aMessageCutIntoFragmentsIsReassembledWhole(@ForAll @IntRange(min = 2, max = 400_000) int size) {
        TcMessage m = video(40, size, true);
        List<MediaFragment> pieces = Fragmenter.split(7, m);
        assertThat(pieces.size()).isLessThanOrEqualTo(Fragmenter.MAX_PIECES);
        if (size <= MediaFragment.LIBRTMFP_PIECE_SIZE) {
            assertThat(pieces).singleElement().extracting(MediaFragment::kind).isEqualTo(MediaFragment.Kind.WHOLE);
        } else if (size <= MediaFragment.LIBRTMFP_PIECE_SIZE * Fragmenter.MAX_PIECES) {
            // librtmfp's cut: every piece but the last is 959 bytes.
            assertThat(pieces.get(0).payloadLength()).isEqualTo(MediaFragment.LIBRTMFP_PIECE_SIZE);
        }
        FragmentStore store = new FragmentStore();
        for (MediaFragment f : pieces) {
            store.add(MediaFragment.decode(f.encode()), 0);
        }
        Playout playout = new Playout(store);
        playout.start(7);
        List<TcMessage> got = play(store, playout, 0);
        assertThat(got).singleElement().satisfies(g -> {
            assertThat(g.timestamp()).isEqualTo(40);
            assertThat(g.payload()).isEqualTo(m.payload());
        });
        assertThat(playout.next()).isEqualTo(7 + pieces.size());
    }

    @Test
    void aHoleIsWaitedForThenSkippedOnceWhatCameAfterItWaitedTheHold() {
        FragmentStore store = new FragmentStore();
        Playout playout = new Playout(store);
        store.add(MediaFragment.whole(1, TcMessage.AUDIO, 0, new byte[] {(byte) 0xaf, 1}), 0);
        store.add(MediaFragment.whole(3, TcMessage.AUDIO, 46, new byte[] {(byte) 0xaf, 1, 3}), 100);
        playout.start(1);

        assertThat(play(store, playout, 100)).hasSize(1);
        assertThat(play(store, playout, 100 + HOLD - 1)).as("still waiting for 2").isEmpty();
        store.add(MediaFragment.whole(2, TcMessage.AUDIO, 23, new byte[] {(byte) 0xaf, 1, 2}), HOLD);
        assertThat(play(store, playout, HOLD)).extracting(TcMessage::timestamp).containsExactly(23L, 46L);
        assertThat(playout.skipped()).isZero();

        store.add(MediaFragment.whole(5, TcMessage.AUDIO, 92, new byte[] {(byte) 0xaf, 1, 5}), 2 * HOLD);
        assertThat(play(store, playout, 3 * HOLD)).as("4 given up").extracting(TcMessage::timestamp)
                .containsExactly(92L);
        assertThat(playout.skipped()).isEqualTo(1);
    }

    @Test
    void theStoreIsBoundedWhateverIdsNeighborsSend() {
        FragmentStore store = new FragmentStore();
        store.add(MediaFragment.whole(1, TcMessage.AUDIO, 0, new byte[10]), 0);
        store.add(MediaFragment.whole(1 + FragmentStore.MAX_SPAN + 5, TcMessage.AUDIO, 0, new byte[10]), 0);
        assertThat(store.holds(1)).isFalse();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.add(MediaFragment.whole(3, TcMessage.AUDIO, 0, new byte[10]), 0)).as("forgotten").isFalse();
        store.expire(1);
        assertThat(store.isEmpty()).isTrue();
    }

    /** A store holding fragments 10 to 20 but 15. */
    private static FragmentStore tenToTwentyBut15() {
        FragmentStore store = new FragmentStore();
        for (long id = 10; id <= 20; id++) {
            if (id != 15) {
                store.add(MediaFragment.whole(id, TcMessage.AUDIO, 0, new byte[10]), 0);
            }
        }
        return store;
    }

    @Test
    void theMapOffersWhatIsHeldAndOfferedButAlwaysTheLatest() {
        FragmentStore store = tenToTwentyBut15();
        store.copied(12);
        store.copied(20);
        // What a publisher offers: fragments that went out fewer times than its limit (here 1).
        FragmentsMap offered = store.map(0, id -> store.copies(id) < 1);
        assertThat(offered.latestId()).isEqualTo(20);
        assertThat(offered.holds(20)).as("the latest, whatever its copies").isTrue();
        assertThat(offered.holds(12)).as("past its copies").isFalse();
        assertThat(offered.holds(15)).as("not held").isFalse();
        assertThat(offered.holds(11)).isTrue();
        assertThat(offered.holds(19)).isTrue();
        FragmentsMap all = store.map(0, id -> true);
        assertThat(all.holds(12)).isTrue();
        assertThat(all.holds(15)).isFalse();
    }

    /**
     * After the stream's end the map carries the end id, one past the last fragment (spec §8.2),
     * and its bits count down from the last fragment: each id says what it says before the end.
     */
    @Test
    void theMapAfterTheEndSaysTheSameOfEachIdAsBefore() {
        FragmentStore store = tenToTwentyBut15();
        FragmentsMap before = store.map(-1, id -> true);
        for (long end : new long[] {21, 25}) {
            FragmentsMap after = store.map(end, id -> true);
            assertThat(after.latestId()).isEqualTo(end);
            for (long id = 9; id <= 20; id++) {
                assertThat(after.holds(id)).as("id %d, end %d", id, end).isEqualTo(before.holds(id));
            }
            for (long id = 21; id < end; id++) {
                assertThat(after.holds(id)).as("id %d past the last fragment, end %d", id, end).isFalse();
            }
        }
    }

    /**
     * A neighbor lacks what its last map covers and leaves out (a player asks it last, and asks a
     * pull pending with it elsewhere when such a map comes). Above the map's latest it may have got
     * it since; below what the map covers, nothing is known.
     */
    @Test
    void aNeighborLacksOnlyWhatItsLastMapCoversAndLeavesOut() {
        FragmentStore store = tenToTwentyBut15();
        PeerMedia neighbor = new PeerMedia(null, null);
        assertThat(neighbor.lacks(15)).as("no map yet").isFalse();
        neighbor.onMap(store.map(0, id -> true));
        assertThat(neighbor.lacks(15)).isTrue();
        assertThat(neighbor.lacks(14)).isFalse();
        assertThat(neighbor.lacks(20)).isFalse();
        assertThat(neighbor.lacks(21)).as("past its map").isFalse();
        assertThat(neighbor.lacks(neighbor.oldest() - 1)).as("below what the map covers").isFalse();
        assertThat(neighbor.lacks(neighbor.oldest())).as("the oldest the map covers, not held").isTrue();
    }

    /**
     * librtmfp's publisher begins a stream with the metadata, the two configurations, the audio at
     * 0 ms and then the first key frame: a player there from the start waits for all of them, and
     * starts at the metadata, not at the key frame the audio seemed to close off.
     */
    @Test
    void aPlayerWaitsForConfigurationsBelowTheAudioBeforeTheFirstKeyFrame() {
        FragmentStore store = new FragmentStore();
        List<TcMessage> begin = List.of(
                new TcMessage(TcMessage.DATA_AMF0, 0, new byte[] {2, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a'}),
                new TcMessage(TcMessage.VIDEO, 0, new byte[] {0x17, 0, 0, 0, 0}),
                new TcMessage(TcMessage.AUDIO, 0, new byte[] {(byte) 0xaf, 0, 0x12, 0x10}),
                new TcMessage(TcMessage.AUDIO, 0, new byte[] {(byte) 0xaf, 1, 1, 2, 3}),
                video(23, 500, true),
                new TcMessage(TcMessage.AUDIO, 46, new byte[] {(byte) 0xaf, 1, 4, 5, 6}));
        List<MediaFragment> stream = new ArrayList<>();
        long id = 1;
        for (TcMessage m : begin) {
            stream.add(Fragmenter.split(id++, m).get(0));
        }
        // The audio at 0 ms (4), the key frame (5) and the audio after it came; 1 to 3 not yet.
        for (MediaFragment f : stream.subList(3, 6)) {
            store.add(f, 0);
        }
        assertThat(StartPoint.find(store, 1, 6, false)).isEqualTo(StartPoint.PREAMBLE_MISSING);
        assertThat(StartPoint.find(store, 1, 6, true)).as("waited long enough").isEqualTo(5);
        store.add(stream.get(1), 0);
        store.add(stream.get(2), 0);
        assertThat(StartPoint.find(store, 1, 6, false)).as("the metadata still missing").isEqualTo(StartPoint.PREAMBLE_MISSING);
        assertThat(StartPoint.find(store, 1, 6, true)).isEqualTo(2);
        store.add(stream.get(0), 0);
        assertThat(StartPoint.find(store, 1, 6, false)).isEqualTo(1);
    }

    @Test
    void aLatePlayerStartsAtTheLatestWholeKeyFrameBehindItsConfiguration() {
        FragmentStore store = new FragmentStore();
        List<MediaFragment> stream = new ArrayList<>();
        long id = 1;
        for (TcMessage m : List.of(video(0, 5, false), new TcMessage(TcMessage.VIDEO, 1000, new byte[] {0x17, 0, 0, 0, 0}),
                video(1000, 3000, true), video(1040, 500, false), video(2000, 3000, true))) {
            List<MediaFragment> pieces = Fragmenter.split(id, m);
            stream.addAll(pieces);
            id += pieces.size();
        }
        // 1: a delta frame; 2: the configuration; 3-6: a key frame; 7: a delta; 8-11: a key frame, its last piece missing.
        for (MediaFragment f : stream.subList(1, stream.size() - 1)) {
            store.add(f, 0);
        }
        assertThat(StartPoint.find(store, 3, 10, false)).as("the fragment before the configuration is missing")
                .isEqualTo(StartPoint.PREAMBLE_MISSING);
        assertThat(StartPoint.find(store, 3, 10, true)).isEqualTo(2);
        store.add(stream.get(0), 0);
        assertThat(StartPoint.find(store, 3, 10, false)).isEqualTo(2);
    }
}
