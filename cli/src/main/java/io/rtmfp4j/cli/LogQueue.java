package io.rtmfp4j.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Log lines written by a thread of their own: a server logs two lines per session from its event
 * loop, and with Logback's appenders called on the loop, each line's formatting and its
 * {@code write} to stderr took the loop's time from the handshakes (docs/benchmarks.md, "Log
 * lines off the event loop"). The root logger's appenders are moved behind one
 * {@link AsyncAppender} that keeps every line, in order: none is dropped when the queue fills, the
 * logging thread waits instead. {@link #close} writes what is still queued and puts the appenders
 * back; call it before the process exits, from the shutdown hook when a signal ends it (the JVM
 * does not wait for the queue's thread).
 */
final class LogQueue implements AutoCloseable {
    /** Lines queued at most before a logging thread waits: a burst of session lines at full rate. */
    static final int CAPACITY = 8192;
    /** How long {@link #close} waits for the queued lines to be written. */
    static final int FLUSH_MILLIS = 10_000;

    private final AsyncAppender async;

    private LogQueue(AsyncAppender async) {
        this.async = async;
    }

    /** Moves the root logger's appenders behind a queue; does nothing when another SLF4J backend is in use. */
    static LogQueue start() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new LogQueue(null);
        }
        return start(context);
    }

    static LogQueue start(LoggerContext context) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> direct = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext();) {
            direct.add(it.next());
        }
        for (Appender<ILoggingEvent> a : direct) {
            root.detachAppender(a);
        }
        AsyncAppender async = queue(context, "queue", direct);
        root.addAppender(async);
        return new LogQueue(async);
    }

    /** A started queue in front of {@code appenders} that drops no line. */
    private static AsyncAppender queue(LoggerContext context, String name, List<Appender<ILoggingEvent>> appenders) {
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName(name);
        async.setQueueSize(CAPACITY);
        // 0: never drop a line, whatever its level (Logback drops INFO and below when 80 % full by default).
        async.setDiscardingThreshold(0);
        async.setMaxFlushTime(FLUSH_MILLIS);
        appenders.forEach(async::addAppender);
        async.start();
        return async;
    }

    /**
     * Runs {@code work} with every line formatted as the others are, through a queue of the same
     * kind at the same place (the root logger), and then dropped, but for warnings and errors,
     * which go on to the log: what a warm-up logs per session must not reach the log, but must take
     * the same code paths, or the real lines meet code compiled for another path and are compiled
     * again (docs/warmup.md). Lines that an appender of another logger takes without passing them
     * on are not the warm-up's concern: they go where they always go.
     */
    <T> T discarding(Supplier<T> work) {
        Encoder<ILoggingEvent> encoder = null;
        if (async != null) {
            for (Iterator<Appender<ILoggingEvent>> it = async.iteratorForAppenders(); it.hasNext() && encoder == null;) {
                if (it.next() instanceof OutputStreamAppender<ILoggingEvent> o) {
                    encoder = o.getEncoder();
                }
            }
        }
        if (encoder == null) {
            return work.get();
        }
        LoggerContext context = (LoggerContext) async.getContext();
        OutputStreamAppender<ILoggingEvent> nowhere = new OutputStreamAppender<>();
        nowhere.setContext(context);
        nowhere.setName("nowhere");
        nowhere.setEncoder(encoder);
        nowhere.setOutputStream(OutputStream.nullOutputStream());
        nowhere.start();
        // A queue takes one appender: this one sends warnings and errors on to the log, the rest nowhere.
        AppenderBase<ILoggingEvent> sorting = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                (e.getLevel().isGreaterOrEqual(Level.WARN) ? async : nowhere).doAppend(e);
            }
        };
        sorting.setContext(context);
        sorting.setName("warm-up");
        sorting.start();
        AsyncAppender discard = queue(context, "discard", List.of(sorting));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        // Added before the real queue goes, and back before it leaves: no line meets a root without an appender.
        root.addAppender(discard);
        root.detachAppender(async);
        try {
            return work.get();
        } finally {
            synchronized (this) {
                if (async.isStarted()) {
                    root.addAppender(async);
                }
            }
            root.detachAppender(discard);
            discard.stop();
        }
    }

    /** Writes the lines still queued, then lines go to the appenders directly again. Idempotent. */
    @Override
    public synchronized void close() {
        if (async == null || !async.isStarted()) {
            return;
        }
        List<Appender<ILoggingEvent>> direct = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = async.iteratorForAppenders(); it.hasNext();) {
            direct.add(it.next());
        }
        // Stopping drains the queue into the appenders, then detaches and stops them.
        async.stop();
        Logger root = ((LoggerContext) async.getContext()).getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAppender(async);
        for (Appender<ILoggingEvent> a : direct) {
            a.start();
            root.addAppender(a);
        }
    }
}
