package io.rtmfp4j.core.session;

import java.util.function.LongConsumer;

/**
 * Where the endpoint runs its expensive public-key work (Diffie-Hellman) when it should not block
 * the endpoint's loop. The work touches no endpoint state; its completion must come back on the
 * loop thread. The runtime supplies a worker pool; an endpoint without one does the work inline.
 */
public interface CryptoOffload {
    /** Runs {@code work} on some other thread. */
    void execute(Runnable work);

    /**
     * Runs {@code task} on the endpoint's loop thread, passing the loop's current time in
     * microseconds; afterwards the caller's driver flushes the endpoint's output and timers.
     */
    void runOnLoop(LongConsumer task);
}
