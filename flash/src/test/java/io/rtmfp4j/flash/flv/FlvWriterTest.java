package io.rtmfp4j.flash.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import net.jqwik.api.Example;

/** The writer's order of calls, buffering and counters; its bytes are checked in {@link FlvReaderTest}. */
class FlvWriterTest {

    private static final FlvTag SCRIPT = new FlvTag(FlvTag.SCRIPT_DATA, 0, Hex.decode("0500"));

    @Example
    void tagsNeedTheHeaderFirstAndOnlyOnce() throws IOException {
        FlvWriter writer = new FlvWriter(new ByteArrayOutputStream());
        assertThatThrownBy(() -> writer.write(SCRIPT)).isInstanceOf(IllegalStateException.class);
        writer.writeHeader(new FlvHeader(false, false));
        assertThatThrownBy(() -> writer.writeHeader(new FlvHeader(false, false))).isInstanceOf(IllegalStateException.class);
        writer.write(SCRIPT);
        writer.close();
        assertThatThrownBy(() -> writer.write(SCRIPT)).isInstanceOf(IllegalStateException.class);
    }

    @Example
    void outputIsBufferedUntilFlushOrClose() throws IOException {
        ClosingStream out = new ClosingStream();
        FlvWriter writer = new FlvWriter(out);
        writer.writeHeader(new FlvHeader(true, true));
        writer.write(SCRIPT);
        assertThat(out.size()).isZero();
        writer.flush();
        assertThat(out.toByteArray()).isEqualTo(Hex.decode("464c56 01 05 00000009 00000000"
                + "12 000002 000000 00 000000 0500 0000000d"));
        assertThat(writer.tagsWritten()).isEqualTo(1);
        assertThat(writer.bytesWritten()).isEqualTo(out.size());
        writer.close();
        writer.close();
        assertThat(out.closes).isEqualTo(1);
    }

    /** Counts how often it is closed. */
    private static final class ClosingStream extends ByteArrayOutputStream {
        int closes;

        @Override
        public void close() {
            closes++;
        }
    }
}
