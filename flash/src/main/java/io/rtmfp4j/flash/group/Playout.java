package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.group.wire.MediaFragment;
import io.rtmfp4j.flash.tc.TcMessage;

/**
 * A player's reassembly of a multicast stream (netgroup spec §8.6): messages leave in fragment
 * order, a split message once all its pieces are held. A hole is waited for, but not for ever:
 * once the first fragment held after it has been there {@code hold} long, playback goes on from
 * the next message held, as a direct stream's partial reliability gives up a late frame. So a
 * lost fragment costs its message and at most {@code hold} of delay, never a stall. Unlike
 * librtmfp's buffer, which waits until the hole leaves the window. Loop thread only.
 */
final class Playout {
    /** Where playable messages go, with the id of their first fragment. */
    interface Sink {
        void deliver(TcMessage message, long firstId);
    }

    private final FragmentStore store;
    /** The next fragment id to play; -1 before playback starts. */
    private long next = -1;
    private long skipped;

    Playout(FragmentStore store) {
        this.store = store;
    }

    boolean started() {
        return next >= 0;
    }

    /** The next fragment id to play, or -1 before the start. */
    long next() {
        return next;
    }

    /** Fragment ids gone past without being played: missing, or pieces of a message that could not be. */
    long skipped() {
        return skipped;
    }

    /** Playback starts at fragment {@code id}. */
    void start(long id) {
        next = id;
    }

    /**
     * Plays what can be played, up to {@code end} (exclusive: the end of the stream, or
     * {@link Long#MAX_VALUE}).
     */
    void run(long now, long hold, long end, Sink sink) {
        if (next < 0) {
            return;
        }
        long latest = store.latest();
        while (next <= latest && next < end) {
            if (next < store.oldest()) {
                skip(store.oldest() - next);
                continue;
            }
            MediaFragment f = store.get(next);
            Pieces pieces = f == null ? Pieces.MISSING : f.kind() == MediaFragment.Kind.FIRST ? pieces(f)
                    : f.kind() == MediaFragment.Kind.WHOLE ? Pieces.COMPLETE : Pieces.ORPHAN;
            switch (pieces) {
                case COMPLETE -> {
                    sink.deliver(f.kind() == MediaFragment.Kind.WHOLE
                            ? new TcMessage(f.mediaType(), f.time(), f.payload()) : reassemble(f), next);
                    next += f.rest() + 1;
                }
                case MISSING -> {
                    // Waiting, unless what came after the hole has waited long enough.
                    long above = firstHeldAbove(next + (f == null ? 0 : f.rest()));
                    if (above < 0 || now - store.arrivedAt(above) < hold) {
                        return;
                    }
                    skipTo(nextStart(next + 1));
                }
                // A piece without its FIRST (the rest of a message that started before playback or was
                // skipped), or pieces that do not belong together: passed over.
                default -> skipTo(nextStart(next + 1));
            }
        }
    }

    /** Whether the pieces of the message a FIRST starts are all held and agree with it. */
    private enum Pieces { COMPLETE, MISSING, ORPHAN, BROKEN }

    private Pieces pieces(MediaFragment first) {
        long id = first.id();
        for (int i = 1; i <= first.rest(); i++) {
            MediaFragment p = store.get(id + i);
            if (p == null) {
                return Pieces.MISSING;
            }
            int left = first.rest() - i;
            boolean fits = left == 0 ? p.kind() == MediaFragment.Kind.LAST
                    : p.kind() == MediaFragment.Kind.MIDDLE && p.rest() == left;
            if (!fits) {
                return Pieces.BROKEN;
            }
        }
        return Pieces.COMPLETE;
    }

    private TcMessage reassemble(MediaFragment first) {
        long id = first.id();
        int size = 0;
        for (int i = 0; i <= first.rest(); i++) {
            size += store.get(id + i).payloadLength();
        }
        byte[] body = new byte[size];
        int at = 0;
        for (int i = 0; i <= first.rest(); i++) {
            MediaFragment p = store.get(id + i);
            p.copyPayload(body, at);
            at += p.payloadLength();
        }
        return new TcMessage(first.mediaType(), first.time(), body);
    }

    /** The lowest id above {@code id} that is held, or -1. */
    private long firstHeldAbove(long id) {
        long latest = store.latest();
        for (long i = id + 1; i <= latest; i++) {
            if (store.holds(i)) {
                return i;
            }
        }
        return -1;
    }

    /** The first id from {@code from} on that starts a message (WHOLE or FIRST), or one past the latest. */
    private long nextStart(long from) {
        long latest = store.latest();
        for (long i = from; i <= latest; i++) {
            MediaFragment f = store.get(i);
            if (f != null && (f.kind() == MediaFragment.Kind.WHOLE || f.kind() == MediaFragment.Kind.FIRST)) {
                return i;
            }
        }
        return latest + 1;
    }

    private void skipTo(long id) {
        skip(id - next);
    }

    private void skip(long ids) {
        skipped += ids;
        next += ids;
    }
}
