package io.rtmfp4j.core.session;

import io.rtmfp4j.core.chunk.AckRanges;
import io.rtmfp4j.core.chunk.FlowException;
import io.rtmfp4j.core.chunk.SequenceRange;
import io.rtmfp4j.core.chunk.UserData;
import io.rtmfp4j.core.flow.SequenceSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The receiving end of a flow (RFC 7016 §3.6.3): fragments are collected by sequence number,
 * reassembled into messages and delivered in the sender's order (or as each completes), while
 * the set of sequence numbers received and the free buffer go back to the sender as
 * acknowledgements.
 *
 * <p>A new flow is offered to {@link EndpointListener#onFlow}; unless the listener accepts it
 * there, it is rejected. Owned by its session and touched only on the endpoint's loop thread.
 */
public final class ReceiveFlow {
    /** OPEN delivers; REJECTED only acknowledges; COMPLETE saw everything through the final sequence number. */
    public enum State { OPEN, REJECTED, COMPLETE }

    /** ORIGINAL delivers messages in the order they were written; NETWORK delivers each as soon as it is whole. */
    public enum DeliveryOrder { ORIGINAL, NETWORK }

    /** Each held fragment costs this much more than its data in buffer accounting (rtmfp-cpp FRAGMENT_SIZE_BIAS). */
    static final int FRAGMENT_SIZE_BIAS = 64;
    private static final ReceiveFlowHandler UNSET = (flow, message) -> { };

    private final SessionFlows owner;
    private final long id;
    private final byte[] metadata;
    private final SendFlow association;
    private State state = State.OPEN;
    private ReceiveFlowHandler handler = UNSET;
    private boolean accepted;
    private long rejectCode = -1;
    private DeliveryOrder order = DeliveryOrder.ORIGINAL;
    private boolean paused;
    private long capacity;
    private final long maxMessageSize;

    private final SequenceSet received = SequenceSet.startingAtZero();
    /**
     * Fragments held for reassembly or delivery, by sequence number. Null until the first: most
     * flows receive in order (the run below), and a server holds many idle ones.
     */
    private TreeMap<Long, Piece> pieces;
    /**
     * The common case kept out of {@link #pieces}: the first fragments of a message arriving in
     * order at the cumulative sequence number, {@code runStart .. runStart + runLength - 1}, while
     * {@code pieces} is empty. Any other fragment moves them into {@code pieces} first. Null
     * until the first message of several fragments.
     */
    private byte[][] run;
    private int runLength;
    private long runStart;
    private long runBytes;
    private long bufferedBytes;
    private long finalSn = -1;
    private long lastAdvertisedBlocks = -1;
    /** Reassembly progress of the message at the head: consecutive pieces from headSn through scanSn are present. */
    private long headSn = -1;
    private long scanSn;
    private long scanBytes;
    long completedAt;

    ReceiveFlow(SessionFlows owner, long id, byte[] metadata, SendFlow association, long capacity, long maxMessageSize) {
        this.owner = owner;
        this.id = id;
        this.metadata = metadata;
        this.association = association;
        this.capacity = capacity;
        this.maxMessageSize = maxMessageSize;
    }

    // ---------------------------------------------------------------- public API

    /** The sender's flow ID. */
    public long flowId() {
        return id;
    }

    public byte[] metadata() {
        return metadata == null ? new byte[0] : metadata.clone();
    }

    /** The flow of ours the sender says this one answers (return flow association), or null. */
    public SendFlow association() {
        return association;
    }

    public Session session() {
        return owner.session();
    }

    public State state() {
        return state;
    }

    /** Takes the flow: its messages go to {@code h}. Only meaningful inside {@link EndpointListener#onFlow}. */
    public void accept(ReceiveFlowHandler h) {
        handler = Objects.requireNonNull(h);
        if (state == State.OPEN) {
            accepted = true;
        }
    }

    /** Refuses the flow: the sender is told with a Flow Exception Report carrying {@code code} (RFC 7016 §3.6.3.7). */
    public void reject(long code) {
        if (state != State.OPEN) {
            return;
        }
        state = State.REJECTED;
        rejectCode = Math.max(0, code);
        clearHeld();
        owner.owesAck(this, true);
    }

    public long rejectCode() {
        return rejectCode;
    }

    public DeliveryOrder deliveryOrder() {
        return order;
    }

    public void setDeliveryOrder(DeliveryOrder o) {
        order = Objects.requireNonNull(o);
        deliver();
    }

    /**
     * Holds delivery: messages stay buffered, the advertised window shrinks to zero and the sender
     * stops (RFC 7016 §3.6.3.5). {@link #resume()} delivers them and reopens the window.
     */
    public void pause() {
        paused = true;
    }

    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        deliver();
        checkComplete();
        // The window just reopened: say so now rather than wait for a probe.
        owner.owesAck(this, true);
    }

    public boolean isPaused() {
        return paused;
    }

    /** Receive buffer in bytes, the basis of the advertised window. */
    public long receiveCapacity() {
        return capacity;
    }

    public void setReceiveCapacity(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
        capacity = bytes;
        owner.owesAck(this, true);
    }

    /** Bytes held for reassembly or delivery, with a per-fragment overhead. */
    public long bufferedBytes() {
        return bufferedBytes;
    }

    @Override
    public String toString() {
        return "ReceiveFlow[" + id + " " + state + " " + received + "]";
    }

    // ---------------------------------------------------------------- session side

    boolean isAccepted() {
        return accepted;
    }

    /**
     * One User Data fragment (spec §5.3). Returns whether the acknowledgement should go out at
     * once (spec §5.4), or null if the fragment was refused for lack of buffer and must not be
     * acknowledged.
     */
    Boolean onFragment(int flags, long sn, long fsn, byte[] data) {
        boolean abandoned = (flags & UserData.ABN) != 0;
        boolean fresh = !received.contains(sn);
        boolean store = fresh && !abandoned && state == State.OPEN;
        if (store && bufferedBytes + data.length + FRAGMENT_SIZE_BIAS > hardLimit()) {
            // A sender ignoring our window cannot make us hold more than this; it will retransmit.
            return null;
        }
        boolean ackNow = lastAdvertisedBlocks < 2 || abandoned || !fresh || received.rangeCount() != 1
                || state != State.OPEN;
        int rangesBefore = received.rangeCount();
        if (fsn > 0) {
            received.add(0, fsn);
        }
        received.add(sn);
        if (fresh && (flags & UserData.FIN) != 0 && finalSn < 0) {
            finalSn = sn;
            ackNow = true;
        }
        if (received.rangeCount() != rangesBefore) {
            ackNow = true;
        }
        int fra = flags & UserData.FRA_MASK;
        if (store && inOrder(fra, sn)) {
            extendRun(fra, sn, data);
        } else {
            // The run moves to the map only when the map's path must take over: a fragment stored out of
            // order, or the cumulative number moving past the run (an abandoned message). A duplicate does not.
            if (store || received.cumulative() >= runStart + runLength) {
                flushRun();
            }
            if (store) {
                hold(sn, new Piece(fra, data));
                bufferedBytes += data.length + FRAGMENT_SIZE_BIAS;
                if (order == DeliveryOrder.NETWORK && !paused) {
                    deliverIfWhole(sn);
                }
            }
            deliver();
        }
        if (checkComplete()) {
            ackNow = true;
        }
        return ackNow;
    }

    /** Beyond the window, a message up to the size limit may still need holding whole. */
    private long hardLimit() {
        return capacity + maxMessageSize;
    }

    private boolean checkComplete() {
        if (state == State.COMPLETE || finalSn < 0 || !received.isPrefixThrough(finalSn)) {
            return false;
        }
        if (paused && (holdsPieces() || runLength > 0)) {
            return false;
        }
        boolean wasOpen = state == State.OPEN;
        state = State.COMPLETE;
        clearHeld();
        owner.receiveFlowComplete(this);
        if (wasOpen) {
            handler.onComplete(this);
        }
        return true;
    }

    /**
     * Whether a fragment to store takes the in-order path (spec §5.3 step 4 without a map): the
     * sender's order, delivery not held, nothing else held, and the fragment is the cumulative
     * sequence number itself, continuing the run (or, with no run, a whole or first fragment).
     */
    private boolean inOrder(int fra, long sn) {
        if (order != DeliveryOrder.ORIGINAL || paused || holdsPieces() || received.cumulative() != sn) {
            return false;
        }
        if (runLength == 0) {
            return fra == UserData.FRA_WHOLE || fra == UserData.FRA_BEGIN;
        }
        return sn == runStart + runLength && (fra == UserData.FRA_MIDDLE || fra == UserData.FRA_END);
    }

    private void extendRun(int fra, long sn, byte[] data) {
        if (fra == UserData.FRA_WHOLE) {
            if (data.length > maxMessageSize) {
                owner.countOversizeMessage();
                return;
            }
            emit(data);
            return;
        }
        if (run == null) {
            run = new byte[2][];
        } else if (runLength == run.length) {
            run = java.util.Arrays.copyOf(run, runLength * 2);
        }
        if (runLength == 0) {
            runStart = sn;
        }
        run[runLength++] = data;
        runBytes += data.length;
        bufferedBytes += data.length + FRAGMENT_SIZE_BIAS;
        if (fra != UserData.FRA_END) {
            return;
        }
        long bytes = runBytes;
        int count = runLength;
        bufferedBytes -= bytes + (long) count * FRAGMENT_SIZE_BIAS;
        byte[] message = null;
        if (bytes <= maxMessageSize) {
            message = new byte[(int) bytes];
            int at = 0;
            for (int i = 0; i < count; i++) {
                System.arraycopy(run[i], 0, message, at, run[i].length);
                at += run[i].length;
            }
        }
        emptyRun();
        if (message == null) {
            owner.countOversizeMessage();
            return;
        }
        emit(message);
    }

    /** Hands a whole message to the application. */
    private void emit(byte[] message) {
        owner.countDelivered(message.length);
        handler.onMessage(this, message);
    }

    /** Puts the run into {@link #pieces}, where the general path (gaps, holds, network order) takes over. */
    private void flushRun() {
        for (int i = 0; i < runLength; i++) {
            int fra = i == 0 ? UserData.FRA_BEGIN : UserData.FRA_MIDDLE;
            hold(runStart + i, new Piece(fra, run[i]));
        }
        // headSn needs no reset: the run only exists while the map is empty, and then headSn is -1.
        emptyRun();
    }

    private void emptyRun() {
        if (run != null) {
            java.util.Arrays.fill(run, 0, runLength, null);
        }
        runLength = 0;
        runBytes = 0;
    }

    private boolean holdsPieces() {
        return pieces != null && !pieces.isEmpty();
    }

    private void hold(long sn, Piece piece) {
        if (pieces == null) {
            pieces = new TreeMap<>();
        }
        pieces.put(sn, piece);
    }

    /** Forgets every fragment held. */
    private void clearHeld() {
        if (pieces != null) {
            pieces.clear();
        }
        emptyRun();
        bufferedBytes = 0;
        headSn = -1;
    }

    /**
     * Delivers (or discards) what can no longer change: messages wholly at or below the
     * cumulative sequence number, in order. Fragments there that do not form a whole message
     * belong to an abandoned one.
     */
    private void deliver() {
        if (paused || state != State.OPEN || pieces == null) {
            return;
        }
        long csn = received.cumulative();
        Map.Entry<Long, Piece> first;
        // The handler may pause or reject the flow from inside onMessage: look again before each message.
        while (!paused && state == State.OPEN && (first = pieces.firstEntry()) != null && first.getKey() <= csn) {
            long sn0 = first.getKey();
            Piece p = first.getValue();
            if (p.fra == UserData.FRA_WHOLE) {
                take(sn0, sn0, p.data.length);
                continue;
            }
            if (p.fra != UserData.FRA_BEGIN) {
                discard(sn0, sn0);
                continue;
            }
            if (headSn != sn0) {
                headSn = sn0;
                scanSn = sn0;
                scanBytes = p.data.length;
            }
            boolean whole = false;
            boolean broken = false;
            while (true) {
                Piece next = pieces.get(scanSn + 1);
                if (next == null) {
                    break;
                }
                if (next.fra == UserData.FRA_MIDDLE || next.fra == UserData.FRA_END) {
                    scanSn++;
                    scanBytes += next.data.length;
                    if (next.fra == UserData.FRA_END) {
                        whole = true;
                        break;
                    }
                } else {
                    broken = true;
                    break;
                }
            }
            if (whole) {
                take(sn0, scanSn, scanBytes);
            } else if (broken || scanSn + 1 <= csn) {
                discard(sn0, scanSn);
            } else {
                break;
            }
        }
    }

    /** Network order: if the message holding {@code sn} is now whole, deliver it at once. */
    private void deliverIfWhole(long sn) {
        long from = sn;
        Piece p = pieces.get(from);
        long bytes = p.data.length;
        while (p.fra == UserData.FRA_MIDDLE || p.fra == UserData.FRA_END) {
            Piece prev = pieces.get(from - 1);
            if (prev == null || prev.fra == UserData.FRA_WHOLE || prev.fra == UserData.FRA_END) {
                return;
            }
            from--;
            bytes += prev.data.length;
            p = prev;
        }
        long to = sn;
        p = pieces.get(to);
        while (p.fra == UserData.FRA_BEGIN || p.fra == UserData.FRA_MIDDLE) {
            Piece next = pieces.get(to + 1);
            if (next == null || next.fra == UserData.FRA_WHOLE || next.fra == UserData.FRA_BEGIN) {
                return;
            }
            to++;
            bytes += next.data.length;
            p = next;
        }
        take(from, to, bytes);
    }

    private void take(long from, long to, long bytes) {
        if (bytes > maxMessageSize) {
            owner.countOversizeMessage();
            discard(from, to);
            return;
        }
        byte[] message;
        if (from == to) {
            message = pieces.remove(from).data;
        } else {
            message = new byte[(int) bytes];
            int at = 0;
            for (long sn = from; sn <= to; sn++) {
                byte[] d = pieces.remove(sn).data;
                System.arraycopy(d, 0, message, at, d.length);
                at += d.length;
            }
        }
        bufferedBytes -= bytes + (to - from + 1) * FRAGMENT_SIZE_BIAS;
        if (headSn >= from && headSn <= to) {
            headSn = -1;
        }
        emit(message);
    }

    private void discard(long from, long to) {
        for (long sn = from; sn <= to; sn++) {
            Piece p = pieces.remove(sn);
            if (p != null) {
                bufferedBytes -= p.data.length + FRAGMENT_SIZE_BIAS;
            }
        }
        if (headSn >= from && headSn <= to) {
            headSn = -1;
        }
    }

    /** The window to advertise, in 1024-byte blocks (spec §5.4); never 0 unless delivery is held (spec P13). */
    long windowBlocks() {
        long free = Math.max(0, capacity - bufferedBytes);
        long blocks = (free + 1023) / 1024;
        if (blocks == 0 && capacity > 0 && !paused) {
            blocks = 1;
        }
        return blocks;
    }

    /**
     * Adds this flow's acknowledgement (after its exception report, if rejected) to the packet.
     * With {@code truncate}, trailing ranges that do not fit are left out; otherwise the ack goes
     * whole or not at all. Returns whether it was added.
     */
    boolean appendAck(PacketBuilder packet, boolean truncate) {
        FlowException exception = state == State.REJECTED ? new FlowException(id, rejectCode) : null;
        int reserve = exception == null ? 0 : exception.encodedSize();
        long blocks = windowBlocks();
        long csn = received.cumulative();
        List<SequenceRange> ranges = new ArrayList<>(received.rangeCount() - 1);
        for (int i = 1; i < received.rangeCount(); i++) {
            ranges.add(new SequenceRange(received.rangeFrom(i), received.rangeTo(i)));
        }
        AckRanges ack = new AckRanges(id, blocks, csn, ranges);
        if (packet.remaining() < ack.encodedSize() + reserve) {
            if (!truncate) {
                return false;
            }
            while (!ranges.isEmpty() && packet.remaining() < ack.encodedSize() + reserve) {
                ranges.remove(ranges.size() - 1);
                ack = new AckRanges(id, blocks, csn, ranges);
            }
            if (packet.remaining() < ack.encodedSize() + reserve) {
                return false;
            }
        }
        if (exception != null) {
            packet.add(exception);
        }
        packet.add(ack);
        lastAdvertisedBlocks = blocks;
        return true;
    }

    /** The session ended. */
    void abort() {
        clearHeld();
        if (state == State.OPEN) {
            state = State.COMPLETE;
        }
    }

    /** A fragment kept for reassembly. */
    private record Piece(int fra, byte[] data) {
    }
}
