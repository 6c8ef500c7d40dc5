package io.rtmfp4j.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What became of one message written to a {@link SendFlow}: pending until every fragment is
 * acknowledged (delivered) or the message is given up (abandoned). Partial reliability
 * (RFC 7016 §3.6.2.3) works through the deadlines: a message not started by {@code startBy} or
 * not finished by {@code finishBy} is abandoned, and so is a best-effort message with a lost
 * fragment. Abandoning a parent abandons its children (a frame the next one depends on).
 *
 * <p>ABANDONED means the sender stopped trying before every fragment was acknowledged; when all
 * fragments had already left, the receiver may still have got the message. Used on the
 * endpoint's loop thread only; settle callbacks run there.
 */
public final class WriteReceipt {
    /** The outcome, final once it leaves PENDING. */
    public enum Status { PENDING, DELIVERED, ABANDONED }

    private final long startBy;
    private final long finishBy;
    private final boolean retransmit;
    private final WriteReceipt parent;
    private Status status = Status.PENDING;
    private int unacknowledged;
    private boolean started;
    private SendFlow flow;
    private long firstSn;
    private long lastSn;
    private List<Consumer<WriteReceipt>> onSettle;
    private List<WriteReceipt> children;

    WriteReceipt(long startBy, long finishBy, boolean retransmit, WriteReceipt parent) {
        this.startBy = startBy;
        this.finishBy = finishBy;
        this.retransmit = retransmit;
        this.parent = parent;
    }

    public Status status() {
        return status;
    }

    public boolean isSettled() {
        return status != Status.PENDING;
    }

    /** Microseconds on the endpoint clock by which a first fragment must leave; {@link Long#MAX_VALUE} if none. */
    public long startBy() {
        return startBy;
    }

    /** Microseconds on the endpoint clock by which the message must be fully acknowledged; {@link Long#MAX_VALUE} if none. */
    public long finishBy() {
        return finishBy;
    }

    public boolean retransmit() {
        return retransmit;
    }

    /** Whether at least one fragment has been transmitted. */
    public boolean started() {
        return started;
    }

    /** Runs {@code callback} once the receipt settles, or now if it already has. */
    public void onSettle(Consumer<WriteReceipt> callback) {
        if (isSettled()) {
            callback.accept(this);
            return;
        }
        if (onSettle == null) {
            onSettle = new ArrayList<>(1);
        }
        onSettle.add(callback);
    }

    /** Gives the message up now, unless it is already settled. */
    public void abandon() {
        if (isSettled()) {
            return;
        }
        if (flow != null) {
            flow.abandon(this);
        } else {
            settle(Status.ABANDONED);
        }
    }

    // ---------------------------------------------------------------- flow side

    void attach(SendFlow owner, int fragments, long first, long last) {
        flow = owner;
        unacknowledged = fragments;
        firstSn = first;
        lastSn = last;
        if (parent != null) {
            if (parent.status == Status.ABANDONED) {
                return;
            }
            if (!parent.isSettled()) {
                if (parent.children == null) {
                    parent.children = new ArrayList<>(1);
                }
                parent.children.add(this);
            }
        }
    }

    long firstSn() {
        return firstSn;
    }

    long lastSn() {
        return lastSn;
    }

    boolean parentAbandoned() {
        return parent != null && parent.status == Status.ABANDONED;
    }

    void markStarted() {
        started = true;
    }

    /** One fragment acknowledged; true when that was the last one. */
    boolean fragmentAcknowledged() {
        return --unacknowledged == 0;
    }

    boolean expired(long now) {
        return now >= finishBy || (!started && now >= startBy);
    }

    /** The earliest time at which this receipt could expire. */
    long nextExpiry() {
        return started ? finishBy : Math.min(startBy, finishBy);
    }

    void settle(Status outcome) {
        if (isSettled()) {
            return;
        }
        status = outcome;
        if (outcome == Status.ABANDONED && children != null) {
            for (WriteReceipt child : children) {
                child.abandon();
            }
        }
        children = null;
        if (onSettle != null) {
            List<Consumer<WriteReceipt>> callbacks = onSettle;
            onSettle = null;
            for (Consumer<WriteReceipt> c : callbacks) {
                c.accept(this);
            }
        }
    }

    @Override
    public String toString() {
        return "WriteReceipt[" + status + "]";
    }
}
