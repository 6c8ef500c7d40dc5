package io.rtmfp4j.flash.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WriteBackTest {
    private static final long EVERY = 1000;

    private final AtomicInteger flushes = new AtomicInteger();

    @Test
    void flushesOnceEveryBytesAreWrittenAndNotBefore() {
        WriteBack tooFew = new WriteBack(flushes::incrementAndGet, "f", EVERY);
        tooFew.written(EVERY - 1);
        assertThat(tooFew.close()).isNull();
        assertThat(flushes).hasValue(0);

        WriteBack enough = new WriteBack(flushes::incrementAndGet, "f", EVERY);
        enough.written(EVERY - 1);
        enough.written(EVERY);
        // close() waits for the flush it started.
        assertThat(enough.close()).isNull();
        assertThat(flushes).hasValue(1);
    }

    @Test
    void aFailedFlushIsKeptForTheWriter() {
        IOException full = new IOException("No space left on device");
        WriteBack f = new WriteBack(() -> {
            throw full;
        }, "f", EVERY);
        assertThat(f.failure()).isNull();
        f.written(EVERY);
        assertThat(f.close()).isSameAs(full);
        assertThat(f.failure()).isSameAs(full);
    }

    @Test
    void anUncheckedFailureIsKeptToo() {
        WriteBack f = new WriteBack(() -> {
            throw new IllegalStateException("broken");
        }, "f", EVERY);
        f.written(EVERY);
        assertThat(f.close()).hasMessageContaining("broken").hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void writtenAfterCloseIsIgnored() {
        WriteBack f = new WriteBack(flushes::incrementAndGet, "f", EVERY);
        assertThat(f.close()).isNull();
        f.written(EVERY);
        assertThat(flushes).hasValue(0);
    }

    @Test
    void refusesNoBytesBetweenFlushes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new WriteBack(flushes::incrementAndGet, "f", 0));
    }
}
