package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogQueueTest {
    /** Records each line and the thread that wrote it; the first write waits until {@code release}. */
    static final class Recording extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new ArrayList<>();
        final List<Thread> writers = new ArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        protected synchronized void append(ILoggingEvent e) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            lines.add(e.getFormattedMessage());
            writers.add(Thread.currentThread());
        }
    }

    static Recording recording(LoggerContext context) {
        Recording r = new Recording();
        r.setContext(context);
        r.setName("recording");
        r.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(r);
        return r;
    }

    @Test
    void linesAreWrittenOffTheCallersThreadInOrderAndNoneIsLostOnClose() throws InterruptedException {
        LoggerContext context = new LoggerContext();
        // What the SLF4J provider sets on the context it makes.
        context.setMDCAdapter(new LogbackMDCAdapter());
        Recording r = recording(context);
        Logger log = context.getLogger("server");
        LogQueue queue = LogQueue.start(context);
        // More lines than the queue holds while the appender is held up: the caller waits, none is dropped.
        int n = LogQueue.CAPACITY + 500;
        Thread caller = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                log.info("session open {}", i);
            }
        });
        caller.start();
        // The queue full behind the held appender, the caller waits for room.
        await().atMost(Duration.ofSeconds(60)).until(() -> caller.getState() == Thread.State.WAITING);
        assertThat(r.lines).isEmpty();
        r.release.countDown();
        caller.join(60_000);
        assertThat(caller.isAlive()).as("the caller finished logging").isFalse();
        queue.close();

        assertThat(r.lines).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(r.lines.get(i)).isEqualTo("session open " + i);
        }
        assertThat(r.writers).doesNotContain(caller);

        // Closed: lines go to the appender directly again, on the caller's thread.
        log.info("after");
        assertThat(r.lines).last().isEqualTo("after");
        assertThat(r.writers).last().isEqualTo(Thread.currentThread());
        queue.close();
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("recording")).isSameAs(r);
    }

    @Test
    void aWarmUpsLinesAreDroppedButForItsWarningsAndTheLogIsAsBeforeAfterIt() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%logger %msg%n");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> written = new OutputStreamAppender<>();
        written.setContext(context);
        written.setName("written");
        written.setEncoder(encoder);
        written.setOutputStream(out);
        written.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(written);
        LogQueue queue = LogQueue.start(context);
        Logger server = context.getLogger("rtmfp.server");
        Logger other = context.getLogger("rtmfp.runtime");

        server.info("before");
        int returned = queue.discarding(() -> {
            server.info("warm-up session open");
            other.warn("warm-up socket");
            return 7;
        });
        server.info("after");
        queue.close();

        assertThat(returned).isEqualTo(7);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("rtmfp.server before" + System.lineSeparator() + "rtmfp.runtime warm-up socket"
                        + System.lineSeparator() + "rtmfp.server after" + System.lineSeparator());
        // The root's appenders as they were: the queue's own, put back by close.
        List<String> appenders = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(a -> appenders.add(a.getName()));
        assertThat(appenders).containsExactly("written");
    }
}
