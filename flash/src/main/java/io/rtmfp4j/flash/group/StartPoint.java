package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.group.wire.MediaFragment;
import io.rtmfp4j.flash.tc.MediaFrames;
import io.rtmfp4j.flash.tc.TcMessage;

/**
 * Where a player joining a multicast stream starts (this project's rule, spec §8.5 leaves it
 * open): at the latest video key frame whose message it holds whole, behind the metadata and
 * decoder configurations just before it (a publisher of this project repeats them there, see
 * {@link GroupMedia}), so that the first frame shown is a recent picture and decodes. librtmfp
 * instead starts with the first fragment it pulled from a map at least the fetch period old, which
 * is where its viewers' 6.5 to 13.6 s to a first frame (spec Appendix A) come from.
 *
 * <p>A stream without video starts at the earliest message held in the range its player searched.
 */
final class StartPoint {
    private StartPoint() {
    }

    /** {@link #find} found a key frame, but not yet the fragment just before it. */
    static final long PREAMBLE_MISSING = -2;

    /**
     * The id to start playback at, searching held fragments from {@code top} (or the latest held,
     * if lower) down to {@code floor} for a key frame; -1 if there is none yet. A key frame counts
     * once its message is whole; unless {@code withoutPreamble}, also what lies below it down to
     * the message before its preamble must be held (see {@link #preamble}), else the answer is
     * {@link #PREAMBLE_MISSING}: its metadata and configurations may be on the way.
     */
    static long find(FragmentStore store, long floor, long top, boolean withoutPreamble) {
        for (long id = Math.min(top, store.latest()); id >= floor && id >= store.oldest(); id--) {
            MediaFragment f = store.get(id);
            if (f == null || !startsMessage(f) || f.mediaType() != TcMessage.VIDEO) {
                continue;
            }
            if (isKeyFrame(f) && whole(store, f)) {
                return preamble(store, id, withoutPreamble);
            }
        }
        return -1;
    }

    /** Whether any video message starts among the fragments held from {@code floor} on. */
    static boolean hasVideo(FragmentStore store, long floor) {
        for (long id = Math.max(floor, store.oldest()); id <= store.latest(); id++) {
            MediaFragment f = store.get(id);
            if (f != null && startsMessage(f) && f.mediaType() == TcMessage.VIDEO) {
                return true;
            }
        }
        return false;
    }

    /** The earliest message held whole from {@code floor} on; -1 if none. */
    static long earliest(FragmentStore store, long floor) {
        for (long id = Math.max(floor, store.oldest()); id <= store.latest(); id++) {
            MediaFragment f = store.get(id);
            if (f != null && startsMessage(f) && whole(store, f)) {
                return id;
            }
        }
        return -1;
    }

    /**
     * The start of the metadata and configurations just before {@code keyFrame}: the lowest of the
     * run of configuration and data messages held below it, the audio messages right below the
     * key frame walked over to find it (a publisher may put audio between its configurations and
     * its first key frame, as librtmfp's does at a stream's start: metadata, configurations, the
     * audio at 0 ms, then the key frame); {@code keyFrame} if there is none. A message not held
     * where the walk would go on (its last fragment missing, and not forgotten, nor before the
     * stream's first) may be a configuration still on its way: then {@link #PREAMBLE_MISSING},
     * unless {@code withoutPreamble}.
     */
    private static long preamble(FragmentStore store, long keyFrame, boolean withoutPreamble) {
        long start = keyFrame;
        for (long id = keyFrame - 1; id >= Math.max(1, store.forgottenBelow()); ) {
            MediaFragment f = store.get(id);
            if (f == null) {
                return withoutPreamble ? start : PREAMBLE_MISSING;
            }
            // The message this fragment ends: walk down to its start.
            long first = id;
            while (f != null && !startsMessage(f) && keyFrame - first < Fragmenter.MAX_PIECES) {
                f = store.get(--first);
            }
            // A message of several pieces, one of them missing, is most likely a frame, not a
            // configuration: the preamble ends at it.
            if (f == null || !startsMessage(f) || !whole(store, f)) {
                return start;
            }
            if (isPreamble(f)) {
                start = first;
            } else if (f.mediaType() != TcMessage.AUDIO || start != keyFrame) {
                return start;
            }
            id = first - 1;
        }
        return start;
    }

    static boolean startsMessage(MediaFragment f) {
        return f.kind() == MediaFragment.Kind.WHOLE || f.kind() == MediaFragment.Kind.FIRST;
    }

    static boolean isKeyFrame(MediaFragment f) {
        return MediaFrames.isKeyFrame(f.mediaType(), head(f));
    }

    /** Metadata, data and decoder configurations: what a player needs before the first frame. */
    static boolean isPreamble(MediaFragment f) {
        int type = f.mediaType();
        return type == TcMessage.DATA_AMF0 || type == TcMessage.DATA_AMF3 || MediaFrames.isSequenceHeader(type, head(f));
    }

    /** The first two bytes of the message: the FLV tag header a key frame and a configuration show in. */
    private static byte[] head(MediaFragment f) {
        int b0 = f.payloadByte(0);
        int b1 = f.payloadByte(1);
        return b0 < 0 ? new byte[0] : b1 < 0 ? new byte[] {(byte) b0} : new byte[] {(byte) b0, (byte) b1};
    }

    /** Whether every piece of the message {@code f} starts is held. */
    private static boolean whole(FragmentStore store, MediaFragment f) {
        for (long i = f.id() + 1; i <= f.id() + f.rest(); i++) {
            if (!store.holds(i)) {
                return false;
            }
        }
        return true;
    }
}
