package io.rtmfp4j.flash.store;

import java.util.concurrent.atomic.AtomicLong;

/** Messages a {@link GroupStore} member sent and received, by kind; for benchmarks. Any thread reads. */
public final class StoreCounters {
    private final AtomicLong stores = new AtomicLong();
    private final AtomicLong replicas = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong misrouted = new AtomicLong();

    void sent(StoreMessage m) {
        if (m instanceof StoreMessage.Store s) {
            (s.replica() ? replicas : stores).incrementAndGet();
        } else if (m instanceof StoreMessage.Get) {
            lookups.incrementAndGet();
        } else {
            answers.incrementAndGet();
        }
    }

    void countReceived() {
        received.incrementAndGet();
    }

    void countMalformed() {
        malformed.incrementAndGet();
    }

    void countMisrouted() {
        misrouted.incrementAndGet();
    }

    /** Writers' entries sent toward their key. */
    public long storesSent() {
        return stores.get();
    }

    /** Copies passed from one holder to another. */
    public long replicasSent() {
        return replicas.get();
    }

    /** Lookups sent, those passed on by the member nearest the key included. */
    public long lookupsSent() {
        return lookups.get();
    }

    /** Answers sent (stored, found, missing). */
    public long answersSent() {
        return answers.get();
    }

    public long received() {
        return received.get();
    }

    /** Messages that were not store messages. */
    public long malformed() {
        return malformed.get();
    }

    /** Answers that reached a member they were not for (their requester had gone). */
    public long misrouted() {
        return misrouted.get();
    }
}
