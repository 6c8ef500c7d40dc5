package io.rtmfp4j.core.session;

import io.rtmfp4j.core.chunk.Chunk;
import io.rtmfp4j.core.chunk.NextUserData;
import io.rtmfp4j.core.chunk.SequenceRange;
import io.rtmfp4j.core.chunk.UserData;
import io.rtmfp4j.core.flow.CongestionController;
import io.rtmfp4j.core.flow.SequenceSet;
import io.rtmfp4j.core.wire.Option;
import io.rtmfp4j.core.wire.Vlu;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The sending end of a flow (RFC 7016 §3.6.2): messages cut into numbered fragments, sent as
 * User Data within the far end's receive window and the session's congestion window, kept until
 * acknowledged, retransmitted when lost, or abandoned when their {@link WriteReceipt} expires.
 *
 * <p>Owned by its session and touched only on the endpoint's loop thread.
 */
public final class SendFlow {
    /** OPEN accepts writes; CLOSING drains after {@link #close()}; COMPLETE and ABORTED are final. */
    public enum State { OPEN, CLOSING, COMPLETE, ABORTED }

    /** Priorities run 0..7; from this one up a flow is time critical (RFC 7016 §3.5.2.1, rtmfp-cpp PRI_PRIORITY). */
    public static final int TIME_CRITICAL_PRIORITY = 4;
    public static final int DEFAULT_PRIORITY = 2;
    /** Largest flow metadata (rtmfp-cpp MAX_METADATA_LENGTH). */
    public static final int MAX_METADATA_SIZE = 512;
    /** The far end's window until its first acknowledgement says otherwise (rtmfp-cpp). */
    static final long INITIAL_FAR_WINDOW = 65_536;
    /** Buffer probes: first after 1 s, then √2 times longer up to 60 s, never sooner than ERTO (spec §5.7). */
    static final long PERSIST_INITIAL = 1_000_000;
    static final long PERSIST_MAX = 60_000_000;
    private static final byte[] EMPTY = new byte[0];
    private static final SendFlowListener NO_LISTENER = new SendFlowListener() { };
    /**
     * Queues start small and grow (the ring by doubling, so it stays a power of two): a server
     * holds many idle flows, and a busy one reaches its size after a few round trips.
     */
    private static final int INITIAL_RING = 8;
    private static final Comparator<Fragment> BY_SEQUENCE_NUMBER = Comparator.comparingLong(f -> f.sn);

    private final SessionFlows owner;
    private final long id;
    private final byte[] metadata;
    private final ReceiveFlow association;
    /** Until the first acknowledgement: the flow's options then stop riding on its chunks and are let go. */
    private List<Option> startupOptions;
    private final int startupOptionsSize;
    private int priority;
    private State state = State.OPEN;
    private SendFlowListener listener = NO_LISTENER;
    private long farException = -1;
    private long sendBufferCapacity;
    private boolean blocked;

    // Fragments held, by sequence number: base .. nextSn - 1 in a ring; acknowledged ones are null.
    private Fragment[] ring = new Fragment[INITIAL_RING];
    private int head;
    private long base = 1;
    private long nextSn = 1;
    /** Lowest sequence number never transmitted. */
    private long nextNew = 1;
    /**
     * Fragments waiting to be sent again (lost, or abandoned and owed an ABN), lowest first; stale
     * entries are skipped. Null until the first: most flows never lose a fragment, and a server
     * holds many idle ones.
     */
    private PriorityQueue<Fragment> resend;
    /** Sequence numbers an Ack Ranges chunk already covered above the cumulative ack, and everything below base. */
    private final SequenceSet rangeAcked = SequenceSet.startingAtZero();
    /**
     * Transmissions in TSN order, for negative acknowledgement (spec §5.6); null while there are
     * none, as in a flow that everything sent was acknowledged on.
     */
    private ArrayDeque<Transmission> inFlight;
    /** Unsettled receipts that carry a deadline, in write order; null until the first. */
    private ArrayDeque<WriteReceipt> deadlines;
    private long finalSn = -1;
    private long farWindow = INITIAL_FAR_WINDOW;
    private long outstanding;
    private long buffered;
    private boolean acknowledged;
    private long maxAckedTsn = -1;
    private long persistAt = Long.MAX_VALUE;
    private long persistInterval;

    SendFlow(SessionFlows owner, long id, byte[] metadata, ReceiveFlow association, int priority,
            long sendBufferCapacity) {
        this.owner = owner;
        this.id = id;
        this.metadata = metadata.clone();
        this.association = association;
        this.priority = checkPriority(priority);
        this.sendBufferCapacity = sendBufferCapacity;
        List<Option> options = new ArrayList<>(2);
        options.add(new Option(UserData.OPTION_METADATA, this.metadata));
        if (association != null) {
            // Metadata first, then the association (spec P14: librtmfp expects this order).
            options.add(new Option(UserData.OPTION_RETURN_ASSOCIATION, Vlu.encode(association.flowId())));
        }
        this.startupOptions = List.copyOf(options);
        this.startupOptionsSize = Option.encodedListSize(startupOptions, true);
    }

    private static int checkPriority(int p) {
        if (p < 0 || p > 7) {
            throw new IllegalArgumentException("priority must be 0..7: " + p);
        }
        return p;
    }

    // ---------------------------------------------------------------- public API

    /** Our flow ID, unique among this session's sending flows. */
    public long flowId() {
        return id;
    }

    public byte[] metadata() {
        return metadata.clone();
    }

    /** The receiving flow this one answers (return flow association), if any. */
    public ReceiveFlow association() {
        return association;
    }

    public Session session() {
        return owner.session();
    }

    public State state() {
        return state;
    }

    public int priority() {
        return priority;
    }

    public void setPriority(int p) {
        priority = checkPriority(p);
    }

    public boolean isTimeCritical() {
        return priority >= TIME_CRITICAL_PRIORITY;
    }

    public void setListener(SendFlowListener l) {
        listener = Objects.requireNonNull(l);
    }

    /** Bytes written and neither acknowledged nor abandoned yet. */
    public long bufferedBytes() {
        return buffered;
    }

    public long sendBufferCapacity() {
        return sendBufferCapacity;
    }

    /** Writes are always accepted; this is the level above which the application should wait for {@link SendFlowListener#onWritable}. */
    public void setSendBufferCapacity(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("send buffer capacity must be positive");
        }
        sendBufferCapacity = bytes;
        notifyIfWritable();
    }

    public boolean isWritable() {
        return state == State.OPEN && buffered < sendBufferCapacity;
    }

    /** The exception code the far end rejected this flow with, or -1. */
    public long farException() {
        return farException;
    }

    /** The far end's receive window in bytes, as last advertised. */
    public long farWindow() {
        return farWindow;
    }

    public WriteReceipt write(byte[] message) {
        return write(message, 0, message.length, WriteOptions.RELIABLE);
    }

    public WriteReceipt write(byte[] message, WriteOptions options) {
        return write(message, 0, message.length, options);
    }

    /**
     * Queues a message (copied) for transmission.
     *
     * @throws IllegalStateException if the flow is no longer open
     */
    public WriteReceipt write(byte[] message, int off, int len, WriteOptions options) {
        Objects.checkFromIndexSize(off, len, message.length);
        Objects.requireNonNull(options, "options");
        if (state != State.OPEN) {
            throw new IllegalStateException("flow " + id + " is " + state);
        }
        long now = owner.now();
        WriteReceipt receipt = new WriteReceipt(WriteOptions.deadline(options.startWithin(), now),
                WriteOptions.deadline(options.finishWithin(), now), options.retransmit(), options.parent());
        int fragmentSize = CongestionController.MSS - (acknowledged ? 0 : startupOptionsSize);
        int count = Math.max(1, (len + fragmentSize - 1) / fragmentSize);
        receipt.attach(this, count, nextSn, nextSn + count - 1);
        if (receipt.parentAbandoned()) {
            receipt.settle(WriteReceipt.Status.ABANDONED);
            return receipt;
        }
        for (int i = 0; i < count; i++) {
            int from = off + i * fragmentSize;
            int to = Math.min(off + len, from + fragmentSize);
            int fra = count == 1 ? UserData.FRA_WHOLE
                    : i == 0 ? UserData.FRA_BEGIN : i == count - 1 ? UserData.FRA_END : UserData.FRA_MIDDLE;
            append(new Fragment(nextSn++, fra, Arrays.copyOfRange(message, from, to), receipt));
        }
        buffered += len;
        if (buffered >= sendBufferCapacity) {
            blocked = true;
        }
        if (options.hasDeadline()) {
            if (deadlines == null) {
                deadlines = new ArrayDeque<>(1);
            }
            deadlines.addLast(receipt);
            owner.deadlinesChanged();
        }
        owner.wantsToSend();
        return receipt;
    }

    /**
     * No more messages: what is queued is still delivered, then the flow ends with its final
     * sequence number (RFC 7016 §3.6.2.11).
     */
    public void close() {
        if (state != State.OPEN) {
            return;
        }
        if (nextSn == 1) {
            complete();
            return;
        }
        state = State.CLOSING;
        Fragment last = nextSn - 1 >= base ? get(nextSn - 1) : null;
        if (last != null && last.sn >= nextNew && !last.abandoned) {
            last.fin = true;
            finalSn = last.sn;
        } else {
            // An empty final fragment must also be abandoned: Flash clients may fail on a bare FIN (spec P10).
            Fragment fin = new Fragment(nextSn++, UserData.FRA_WHOLE, EMPTY, null);
            fin.abandoned = true;
            fin.fin = true;
            finalSn = fin.sn;
            append(fin);
        }
        owner.wantsToSend();
    }

    @Override
    public String toString() {
        return "SendFlow[" + id + " " + state + " buffered=" + buffered + " outstanding=" + outstanding + "]";
    }

    // ---------------------------------------------------------------- queue

    private void append(Fragment f) {
        int held = (int) (nextSn - 1 - base);
        if (held >= ring.length) {
            Fragment[] bigger = new Fragment[ring.length * 2];
            for (int i = 0; i < ring.length; i++) {
                bigger[i] = ring[(head + i) & (ring.length - 1)];
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + (int) (f.sn - base)) & (ring.length - 1)] = f;
    }

    private Fragment get(long sn) {
        return ring[(head + (int) (sn - base)) & (ring.length - 1)];
    }

    private void clear(long sn) {
        ring[(head + (int) (sn - base)) & (ring.length - 1)] = null;
    }

    /**
     * Forgets acknowledged fragments from the low end. Abandoned ones stay until an ABN for them
     * is acknowledged: moving the FSN past them silently would leave a receiver waiting whenever
     * no later packet carries the new FSN.
     */
    private void trim() {
        while (base < nextSn) {
            Fragment f = ring[head];
            if (f != null) {
                break;
            }
            ring[head] = null;
            head = (head + 1) & (ring.length - 1);
            base++;
        }
        if (nextNew < base) {
            nextNew = base;
        }
    }

    /** Forward sequence number: everything below {@link #base} is acknowledged or abandoned for good. */
    private long forwardSequenceNumber() {
        return base - 1;
    }

    // ---------------------------------------------------------------- transmission (session side)

    boolean hasDataToSend() {
        if (state == State.COMPLETE || state == State.ABORTED || outstanding >= farWindow) {
            return false;
        }
        return nextNew < nextSn || peekResend() != null;
    }

    boolean windowClosed() {
        return farWindow == 0 && (nextNew < nextSn || peekResend() != null);
    }

    private Fragment peekResend() {
        if (resend == null) {
            return null;
        }
        Fragment f;
        while ((f = resend.peek()) != null && (f.inFlight || f.sn < base || get(f.sn) != f)) {
            resend.poll();
        }
        return f;
    }

    private Fragment nextEligible() {
        Fragment r = peekResend();
        if (nextNew < nextSn && (r == null || nextNew < r.sn)) {
            return get(nextNew);
        }
        return r;
    }

    /**
     * Adds this flow's next fragments to {@code packet} while they fit and the far window allows;
     * one User Data header, then Next User Data for
     * consecutive fragments (RFC 7016 §2.3.12).
     */
    void fill(PacketBuilder packet, long tsn) {
        long fsn = forwardSequenceNumber();
        long previousSn = -1;
        while (outstanding < farWindow) {
            Fragment f = nextEligible();
            if (f == null) {
                break;
            }
            boolean abn = f.abandoned;
            byte[] data = abn ? EMPTY : f.data;
            int flags = f.fra | (abn ? UserData.ABN : 0) | (f.fin ? UserData.FIN : 0);
            Chunk chunk;
            if (previousSn >= 0 && f.sn == previousSn + 1) {
                chunk = new NextUserData(flags, List.of(), data);
            } else if (!acknowledged && previousSn < 0) {
                // Startup options ride on the flow's first chunk of each packet until an ack arrives (RFC 7016 §3.6.2.3.1).
                chunk = new UserData(flags | UserData.OPT, id, f.sn, f.sn - fsn, startupOptions, data);
            } else {
                chunk = new UserData(flags, id, f.sn, f.sn - fsn, List.of(), data);
            }
            if (!packet.fits(chunk)) {
                break;
            }
            packet.add(chunk);
            if (f.sn == nextNew) {
                nextNew++;
            } else {
                resend.poll();
                if (!abn) {
                    owner.countRetransmission();
                }
            }
            f.inFlight = true;
            f.everSent = true;
            f.sentAbandoned = abn;
            f.nakCount = 0;
            f.tsn = tsn;
            f.transmitSize = chunk.encodedSize();
            outstanding += f.transmitSize;
            owner.addOutstanding(f.transmitSize);
            if (inFlight == null) {
                inFlight = new ArrayDeque<>(1);
            }
            inFlight.addLast(new Transmission(f, tsn));
            if (!abn && f.receipt != null) {
                f.receipt.markStarted();
            }
            if (isTimeCritical()) {
                packet.markTimeCritical();
            }
            previousSn = f.sn;
        }
    }

    // ---------------------------------------------------------------- acknowledgements (session side)

    /** An Ack Ranges (or Bitmap) for this flow: everything through {@code cumulative} plus {@code ranges} arrived. */
    void onAcknowledgement(long bufferBlocks, long cumulative, List<SequenceRange> ranges, AckTally tally) {
        acknowledged = true;
        startupOptions = null;
        farWindow = Math.min(bufferBlocks, 1L << 32) * 1024;
        if (farWindow > 0) {
            persistAt = Long.MAX_VALUE;
        }
        long last = nextSn - 1;
        for (long sn = base; sn <= Math.min(cumulative, last); sn++) {
            acknowledge(sn, tally);
        }
        for (SequenceRange r : ranges) {
            long from = Math.max(r.from(), base);
            long to = Math.min(r.to(), last);
            if (from > to) {
                continue;
            }
            // Every ack repeats the ranges above the receiver's gaps: visit only what no earlier
            // range covered, so an ack costs what it newly acknowledges, not the whole window.
            for (long gap = rangeAcked.nextMissing(from); gap <= to; ) {
                long gapEnd = Math.min(to, rangeAcked.nextPresentAfter(gap) - 1);
                for (long sn = gap; sn <= gapEnd; sn++) {
                    acknowledge(sn, tally);
                }
                if (gapEnd == to) {
                    break;
                }
                gap = rangeAcked.nextMissing(gapEnd + 1);
            }
            rangeAcked.add(from, to);
        }
        negativeAcknowledge(tally);
        trim();
        // What lies below base is settled for good: one range for it keeps the set small.
        rangeAcked.add(0, base - 1);
        settleIfDone();
        notifyIfWritable();
    }

    private void acknowledge(long sn, AckTally tally) {
        Fragment f = get(sn);
        if (f == null) {
            return;
        }
        clear(sn);
        if (f.inFlight) {
            f.inFlight = false;
            outstanding -= f.transmitSize;
            owner.addOutstanding(-f.transmitSize);
            tally.acked += f.transmitSize;
            maxAckedTsn = Math.max(maxAckedTsn, f.tsn);
        }
        if (!f.abandoned && f.receipt != null) {
            buffered -= f.data.length;
            if (f.receipt.fragmentAcknowledged()) {
                f.receipt.settle(WriteReceipt.Status.DELIVERED);
            }
        }
    }

    /**
     * Every fragment still in flight that left no later than the newest acknowledged one earns a
     * negative acknowledgement; the third makes it lost (spec §5.6).
     */
    private void negativeAcknowledge(AckTally tally) {
        if (inFlight == null) {
            return;
        }
        Iterator<Transmission> it = inFlight.iterator();
        while (it.hasNext()) {
            Transmission t = it.next();
            Fragment f = t.fragment;
            if (!f.inFlight || f.tsn != t.tsn) {
                it.remove();
                continue;
            }
            if (t.tsn > maxAckedTsn) {
                break;
            }
            if (!f.sentAbandoned) {
                tally.anyNak = true;
            }
            if (++f.nakCount >= SessionFlows.NAKS_FOR_LOSS) {
                it.remove();
                lose(f, tally);
            }
        }
        if (inFlight.isEmpty()) {
            inFlight = null;
        }
    }

    /** The retransmission timer fired: everything in flight is presumed lost (spec §5.6). */
    void loseAll(AckTally tally) {
        if (inFlight != null) {
            for (Transmission t : inFlight) {
                Fragment f = t.fragment;
                if (f.inFlight && f.tsn == t.tsn) {
                    lose(f, tally);
                }
            }
            inFlight = null;
        }
        trim();
    }

    private void lose(Fragment f, AckTally tally) {
        f.inFlight = false;
        outstanding -= f.transmitSize;
        owner.addOutstanding(-f.transmitSize);
        if (!f.sentAbandoned) {
            // Losing an ABN marker says nothing about congestion (spec §5.6).
            tally.lost += f.transmitSize;
            tally.anyLoss = true;
        }
        if (!f.abandoned && f.receipt != null && !f.receipt.retransmit()) {
            abandon(f.receipt);
        }
        resendLater(f);
    }

    private void resendLater(Fragment f) {
        if (resend == null) {
            resend = new PriorityQueue<>(1, BY_SEQUENCE_NUMBER);
        }
        resend.add(f);
    }

    // ---------------------------------------------------------------- abandonment and deadlines

    /** Abandons a message of this flow: its fragments are no longer retransmitted, only marked ABN (spec §5.2). */
    void abandon(WriteReceipt receipt) {
        if (receipt.isSettled()) {
            return;
        }
        for (long sn = Math.max(receipt.firstSn(), base); sn <= receipt.lastSn(); sn++) {
            Fragment f = get(sn);
            if (f == null || f.abandoned) {
                continue;
            }
            f.abandoned = true;
            buffered -= f.data.length;
            if (!f.inFlight && f.everSent) {
                resendLater(f);
            }
        }
        receipt.settle(WriteReceipt.Status.ABANDONED);
        owner.countAbandoned();
        trim();
        settleIfDone();
        notifyIfWritable();
        owner.wantsToSend();
    }

    /** Abandons expired messages; returns the next time one may expire. */
    long expire(long now) {
        long next = Long.MAX_VALUE;
        if (deadlines == null) {
            return next;
        }
        Iterator<WriteReceipt> it = deadlines.iterator();
        List<WriteReceipt> expired = null;
        while (it.hasNext()) {
            WriteReceipt r = it.next();
            if (r.isSettled()) {
                it.remove();
            } else if (r.expired(now)) {
                it.remove();
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(r);
            } else {
                next = Math.min(next, r.nextExpiry());
            }
        }
        if (expired != null) {
            for (WriteReceipt r : expired) {
                abandon(r);
            }
        }
        return next;
    }

    boolean hasDeadlines() {
        return deadlines != null && !deadlines.isEmpty();
    }

    // ---------------------------------------------------------------- far exceptions, probes, end

    /** The far end rejected this flow (RFC 7016 §3.6.2.10): give up everything and close. */
    void onFarException(long code) {
        if (farException >= 0 || state == State.COMPLETE || state == State.ABORTED) {
            return;
        }
        farException = code;
        abandonAll();
        close();
        listener.onException(this, code);
    }

    private void abandonAll() {
        for (long sn = base; sn < nextSn; sn++) {
            Fragment f = get(sn);
            if (f != null && f.receipt != null && !f.receipt.isSettled()) {
                abandon(f.receipt);
            }
        }
    }

    /** The session ended: every pending message is abandoned. */
    void abort() {
        if (state == State.COMPLETE || state == State.ABORTED) {
            return;
        }
        state = State.ABORTED;
        abandonAll();
        outstanding = 0;
        inFlight = null;
        resend = null;
    }

    long persistAt() {
        return persistAt;
    }

    /** Arms or keeps the buffer probe timer while the far window is closed with data waiting (spec §5.7). */
    void updatePersist(long now, long erto) {
        if (!windowClosed()) {
            persistAt = Long.MAX_VALUE;
            return;
        }
        if (persistAt == Long.MAX_VALUE) {
            persistInterval = Math.max(PERSIST_INITIAL, erto);
            persistAt = now + persistInterval;
        }
    }

    /** The persist timer fired: the caller sends a Buffer Probe; the next one waits √2 times longer. */
    void probeSent(long now, long erto) {
        persistInterval = Math.max(Math.min((long) (persistInterval * 1.414214), PERSIST_MAX), erto);
        persistAt = now + persistInterval;
    }

    private void settleIfDone() {
        if (state == State.CLOSING && base > finalSn) {
            complete();
        }
    }

    private void complete() {
        state = State.COMPLETE;
        owner.sendFlowComplete(this);
        listener.onComplete(this);
    }

    private void notifyIfWritable() {
        if (blocked && isWritable()) {
            blocked = false;
            listener.onWritable(this);
        }
    }

    /** One fragment: a sequence number and what the sender knows of its fate. */
    private static final class Fragment {
        final long sn;
        final int fra;
        final byte[] data;
        final WriteReceipt receipt;
        boolean fin;
        boolean abandoned;
        boolean inFlight;
        boolean everSent;
        boolean sentAbandoned;
        int nakCount;
        long tsn;
        int transmitSize;

        Fragment(long sn, int fra, byte[] data, WriteReceipt receipt) {
            this.sn = sn;
            this.fra = fra;
            this.data = data;
            this.receipt = receipt;
        }
    }

    /** A fragment as sent in the packet numbered {@code tsn}. */
    private record Transmission(Fragment fragment, long tsn) {
    }
}
