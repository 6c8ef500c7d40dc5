package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.session.FlowRouter;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.WriteOptions;
import io.rtmfp4j.core.session.WriteReceipt;
import io.rtmfp4j.flash.group.wire.FragmentsMap;
import io.rtmfp4j.flash.group.wire.GroupFlow;
import io.rtmfp4j.flash.group.wire.MediaFragment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One neighbor's part in one multicast stream (netgroup spec §8.1): its {@code GR 11} flow to us
 * ({@link #in}: its announcement, fragments maps, push and pull requests), ours to it
 * ({@link #out}, associated with its {@code GR 1C} flow), and our {@code GR 12} fragment flow to
 * it, associated with its {@code GR 11}; its fragments come on a {@code GR 12} flow associated
 * with our {@code GR 11}. What it asked us to push, what we asked it, and what its last map said.
 * Loop thread only.
 */
final class PeerMedia {
    /** Announcements, maps, push and pull requests: control, as urgent as the group's own. */
    static final int CONTROL_PRIORITY = Neighbor.CONTROL_PRIORITY;
    /** Fragments: time critical, like a direct stream's video (RFC 7016 §3.5.2.1). */
    static final int MEDIA_PRIORITY = SendFlow.TIME_CRITICAL_PRIORITY;

    final Neighbor neighbor;
    final GroupMedia media;
    /** Its {@code GR 11} flow, once its announcement came on one; then it takes part in the stream. */
    ReceiveFlow in;
    /** Our {@code GR 11} flow, once we announced the stream to it. */
    SendFlow out;
    private SendFlow fragments;
    private FlowRouter.Registration returns;
    /** The slices it asked us to push (its {@code 23}, spec §8.4): bit i for {@code id mod 8 == i}. */
    int pushOut;
    /** The slices of {@link #pushOut} we push to it: a relay serves only as many as its upload budget allows. */
    int served;
    /** The slices we asked it to push. */
    int pushIn;
    private FragmentsMap map;
    private long mapOldest;
    /** The highest id it is known to hold: from its maps and from the fragments it sent. */
    long latest;
    /** The id of the last map we sent it: a map is sent again only when ours moved (spec §8.3). */
    long mapSent = -1;
    /** Our pull requests to it not yet answered. */
    int pulling;
    /**
     * When a pull to it last went unanswered, until one is answered again; -1 if none. A holder
     * may decline a pull without a word (a publisher past its copies, a relay past its budget).
     */
    long unansweredAt = -1;
    /** What a publisher sent it, oldest first, over about the last {@link GroupMedia#FRAGMENT_DEADLINE}. */
    private final ArrayDeque<Sent> sent = new ArrayDeque<>();
    /**
     * Its session left a publisher's data unacknowledged longer than {@link GroupMedia#STALL_MICROS}
     * or twice its MRTO: pushes pass it by.
     */
    boolean stalled;
    private boolean closed;

    /** A fragment sent to it, until when it is worth sending, and what became of it. */
    record Sent(long id, long expires, WriteReceipt receipt) {}

    PeerMedia(Neighbor neighbor, GroupMedia media) {
        this.neighbor = neighbor;
        this.media = media;
    }

    /** It announced the stream to us, and so takes part in it. */
    boolean subscribed() {
        return in != null && !closed;
    }

    /** Both ways announced: we may ask it to push and pull, it may ask us. */
    boolean linked() {
        return subscribed() && out != null;
    }

    /** Opens our {@code GR 11} flow (once) and writes {@code message} on it. */
    boolean writeControl(byte[] message) {
        if (closed) {
            return false;
        }
        if (out == null) {
            out = neighbor.openAnswer(GroupFlow.MEDIA_REPORT, CONTROL_PRIORITY);
            if (out == null) {
                return false;
            }
            // Its fragments answer our GR 11 flow (spec §1).
            returns = neighbor.group.flows().routeReturns(out, f -> media.onFragmentFlow(this, f));
        }
        if (out.state() != SendFlow.State.OPEN) {
            return false;
        }
        out.write(message);
        media.counters.control(true, message.length, media.now());
        return true;
    }

    /** Writes a fragment on our {@code GR 12} flow, opened on first use; null if it cannot take one now. */
    WriteReceipt writeFragment(MediaFragment f, WriteOptions options) {
        if (closed || in == null) {
            return null;
        }
        if (fragments == null) {
            fragments = neighbor.session.openFlow(GroupFlow.MEDIA.metadata(), in, MEDIA_PRIORITY);
        }
        if (fragments.state() != SendFlow.State.OPEN) {
            return null;
        }
        return fragments.write(f.encode(), options);
    }

    /**
     * A fragment a publisher sent it, pushed or pulled, remembered in case it stalls until
     * {@code expires}, when the fragment is given up (its {@link GroupMedia#FRAGMENT_DEADLINE} from
     * when it was first sent, to whichever neighbor).
     */
    void remember(long id, WriteReceipt receipt, long expires, long now) {
        forgetExpired(now);
        sent.addLast(new Sent(id, expires, receipt));
    }

    private void forgetExpired(long now) {
        while (!sent.isEmpty() && sent.peekFirst().expires() <= now) {
            sent.pollFirst();
        }
    }

    /** Whether fragment {@code id} was sent to it lately (see {@link #remember}). */
    boolean wasSent(long id) {
        for (Sent f : sent) {
            if (f.id() == id) {
                return true;
            }
        }
        return false;
    }

    /**
     * The fragments sent to it, not yet expired and not acknowledged, oldest first, given up on its
     * flow: it stalled, they go to others. Forgets every fragment sent.
     */
    List<Sent> takeUnacknowledged(long now) {
        List<Sent> taken = new ArrayList<>();
        for (Sent f : sent) {
            if (f.expires() > now && f.receipt().status() == WriteReceipt.Status.PENDING) {
                f.receipt().abandon();
                taken.add(f);
            }
        }
        sent.clear();
        return taken;
    }

    /** Bytes written on our fragment flow and not yet acknowledged or given up. */
    long backlog() {
        return fragments == null ? 0 : fragments.bufferedBytes();
    }

    /** A map it sent: kept if newer than the last (spec §8.3). */
    void onMap(FragmentsMap m) {
        if (map == null || m.latestId() > map.latestId()) {
            map = m;
            mapOldest = Math.max(1, m.latestId() - 8L * m.bitmap().length);
            latest = Math.max(latest, m.latestId());
        }
    }

    /** The lowest id its last map covers; 0 without a map. */
    long oldest() {
        return mapOldest;
    }

    /** Whether it is known to hold fragment {@code id}: its last map says so. */
    boolean holds(long id) {
        return map != null && map.holds(id);
    }

    /** Whether its last map covers {@code id} and shows it missing. */
    boolean lacks(long id) {
        return map != null && id <= map.latestId() && id >= mapOldest && !map.holds(id);
    }

    /** A fragment came from it: it holds it, and is at least that far. */
    void sent(long id) {
        latest = Math.max(latest, id);
    }

    boolean isClosed() {
        return closed;
    }

    /** Ends its part: our flows close, its flows are refused from now on. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        sent.clear();
        if (returns != null) {
            returns.remove();
        }
        for (SendFlow f : new SendFlow[] {out, fragments}) {
            if (f != null && f.state() == SendFlow.State.OPEN) {
                f.close();
            }
        }
        if (in != null && in.state() == ReceiveFlow.State.OPEN) {
            in.reject(0);
        }
    }

    @Override
    public String toString() {
        return "PeerMedia[" + neighbor.peerId.substring(0, 16) + (subscribed() ? ", subscribed" : "") + "]";
    }
}
