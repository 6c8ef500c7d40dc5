package io.rtmfp4j.server;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands answers of the directory, the group membership and the other nodes back to the server's
 * loop thread, which owns every client. In one process those answers are complete at once and the
 * executor runs them in place, so a single server behaves as it did before it could be a node; in
 * a cluster they complete on Hazelcast's threads and the executor queues them on the loop.
 */
final class LoopExecutor {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.server");
    /** Runs in place: for a loop that answers come back to already (one process, a simulation). */
    static final LoopExecutor IN_PLACE = new LoopExecutor(Runnable::run);

    private final Executor executor;

    LoopExecutor(Executor executor) {
        this.executor = executor;
    }

    /** Runs {@code action} on the loop once {@code stage} completes; an action that throws is logged, not lost. */
    <T> void whenDone(CompletionStage<T> stage, BiConsumer<? super T, ? super Throwable> action) {
        stage.whenCompleteAsync((value, error) -> {
            try {
                action.accept(value, error);
            } catch (RuntimeException e) {
                log.warn("contained an internal error while handling an answer from the cluster", e);
            }
        }, executor);
    }

    void execute(Runnable task) {
        executor.execute(task);
    }
}
