package io.rtmfp4j.flash.flv;

import static io.rtmfp4j.flash.flv.FlvFixtures.readAll;
import static io.rtmfp4j.flash.flv.FlvFixtures.reader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rtmfp4j.core.wire.Hex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import org.junit.jupiter.api.Assumptions;

/** Hand-built files: the tag layout, and how the reader treats damaged and hostile input. */
class FlvReaderTest {

    private static final String HEADER = "464c56 01 05 00000009 00000000";
    /** An AAC frame at timestamp 0x9a345678: low 24 bits 345678, TimestampExtended 9a; PreviousTagSize 13. */
    private static final String EXTENDED_AUDIO = "08 000002 345678 9a 000000 af01 0000000d";
    /** An AVC inter frame at timestamp 40 (0x28). */
    private static final String VIDEO_AT_40 = "09 000003 000028 00 000000 270100 0000000e";

    private static final FlvTag AUDIO_TAG = new FlvTag(FlvTag.AUDIO, 0x9a34_5678, Hex.decode("af01"));
    private static final FlvTag VIDEO_TAG = new FlvTag(FlvTag.VIDEO, 40, Hex.decode("270100"));

    @Example
    void readsTheTagLayoutWithItsExtendedTimestamp() throws IOException {
        try (FlvReader reader = reader(Hex.decode(HEADER + EXTENDED_AUDIO + VIDEO_AT_40))) {
            assertThat(reader.header()).isEqualTo(new FlvHeader(true, true));
            assertThat(reader.next()).contains(AUDIO_TAG);
            assertThat(AUDIO_TAG.timestamp()).isNegative();   // the FLV field is SI32; the bits are what matter
            assertThat(reader.next()).contains(VIDEO_TAG);
            assertThat(reader.next()).isEmpty();
            assertThat(reader.next()).isEmpty();
            assertThat(reader.tagsRead()).isEqualTo(2);
            assertThat(reader.truncated()).isFalse();
            assertThat(reader.previousTagSizeMismatches()).isZero();
        }
    }

    @Example
    void theWriterProducesTheSameBytes() {
        assertThat(FlvFixtures.file(new FlvHeader(true, true), List.of(AUDIO_TAG, VIDEO_TAG)))
                .isEqualTo(Hex.decode(HEADER + EXTENDED_AUDIO + VIDEO_AT_40));
    }

    @Example
    void nothingIsReadBeforeTheFirstCall() throws IOException {
        CountingStream in = new CountingStream(Hex.decode(HEADER + EXTENDED_AUDIO));
        try (FlvReader reader = new FlvReader(in)) {
            assertThat(in.read).isZero();
            reader.header();
            assertThat(in.read).isEqualTo(FlvHeader.ENCODED_SIZE);
            assertThat(reader.header()).isEqualTo(new FlvHeader(true, true));
            assertThat(in.read).isEqualTo(FlvHeader.ENCODED_SIZE);
        }
        assertThat(in.closed).isTrue();
    }

    @Example
    void nextReadsTheHeaderFirst() throws IOException {
        FlvReader reader = reader(Hex.decode(HEADER + VIDEO_AT_40));
        assertThat(reader.next()).contains(VIDEO_TAG);
        assertThat(reader.header()).isEqualTo(new FlvHeader(true, true));
    }

    @Example
    void unknownTagTypesAreSkippedAndCounted() throws IOException {
        String unknown = "0a 000004 000000 00 000000 01020304 0000000f";
        String typeZero = "00 000000 000000 00 000000 0000000b";
        FlvReader reader = reader(Hex.decode(HEADER + unknown + EXTENDED_AUDIO + typeZero + VIDEO_AT_40));
        assertThat(readAll(reader)).containsExactly(AUDIO_TAG, VIDEO_TAG);
        assertThat(reader.skippedUnknownTags()).isEqualTo(2);
        assertThat(reader.previousTagSizeMismatches()).isZero();
    }

    @Example
    void encryptedTagsAreSkippedAndCounted() throws IOException {
        // Filter bit 0x20 on an audio tag: an encryption header and encrypted data follow.
        String encrypted = "28 000005 000014 00 000000 0102030405 00000010";
        FlvReader reader = reader(Hex.decode(HEADER + encrypted + VIDEO_AT_40));
        assertThat(readAll(reader)).containsExactly(VIDEO_TAG);
        assertThat(reader.skippedEncryptedTags()).isEqualTo(1);
        assertThat(reader.skippedUnknownTags()).isZero();
    }

    @Example
    void reservedBitsAboveTheFilterAreIgnored() throws IOException {
        assertThat(readAll(reader(Hex.decode(HEADER + "c9 000003 000028 00 000000 270100 0000000e"))))
                .containsExactly(VIDEO_TAG);
    }

    @Example
    void wrongPreviousTagSizesAreCountedNotFatal() throws IOException {
        // PreviousTagSize0 of 7, then a tag followed by its DataSize only (a known muxer mistake).
        FlvReader reader = reader(Hex.decode("464c56 01 05 00000009 00000007"
                + "08 000002 345678 9a 000000 af01 00000002" + VIDEO_AT_40));
        assertThat(readAll(reader)).containsExactly(AUDIO_TAG, VIDEO_TAG);
        assertThat(reader.previousTagSizeMismatches()).isEqualTo(2);
    }

    @Example
    void streamIdIsNotChecked() throws IOException {
        assertThat(readAll(reader(Hex.decode(HEADER + "09 000003 000028 00 abcdef 270100 0000000e"))))
                .containsExactly(VIDEO_TAG);
    }

    @Example
    void aLongerHeaderIsSkipped() throws IOException {
        FlvReader reader = reader(Hex.decode("464c56 01 04 0000000c 112233 00000000" + EXTENDED_AUDIO));
        assertThat(reader.header()).isEqualTo(new FlvHeader(true, false));
        assertThat(readAll(reader)).containsExactly(AUDIO_TAG);
        assertThat(reader.truncated()).isFalse();
    }

    @Example
    void anEndInsideATagDropsIt() throws IOException {
        byte[] whole = Hex.decode(HEADER + EXTENDED_AUDIO + VIDEO_AT_40);
        int secondTag = Hex.decode(HEADER + EXTENDED_AUDIO).length;
        for (int cut : new int[] {1, 10, 11, 13}) {   // in the tag header, at the body, in the body
            FlvReader reader = reader(Arrays.copyOf(whole, secondTag + cut));
            assertThat(readAll(reader)).as("cut %d", cut).containsExactly(AUDIO_TAG);
            assertThat(reader.truncated()).isTrue();
            assertThat(reader.droppedTrailingBytes()).isEqualTo(cut);
        }
    }

    @Example
    void aCompleteBodyWithoutItsPreviousTagSizeIsKept() throws IOException {
        byte[] whole = Hex.decode(HEADER + EXTENDED_AUDIO + VIDEO_AT_40);
        for (int missing = 1; missing <= 4; missing++) {
            FlvReader reader = reader(Arrays.copyOf(whole, whole.length - missing));
            assertThat(readAll(reader)).containsExactly(AUDIO_TAG, VIDEO_TAG);
            assertThat(reader.truncated()).isTrue();
            assertThat(reader.droppedTrailingBytes()).isEqualTo(4 - missing);
            assertThat(reader.previousTagSizeMismatches()).isZero();
        }
    }

    @Example
    void aHeaderWithoutPreviousTagSize0IsAnEmptyTruncatedFile() throws IOException {
        FlvReader reader = reader(Hex.decode("464c56 01 05 00000009 0000"));
        assertThat(reader.header()).isEqualTo(new FlvHeader(true, true));
        assertThat(reader.next()).isEmpty();
        assertThat(reader.truncated()).isTrue();
        assertThat(reader.droppedTrailingBytes()).isEqualTo(2);
    }

    @Example
    void anEndInsideTheExtraHeaderBytesIsATruncatedEmptyFile() throws IOException {
        FlvReader reader = reader(Hex.decode("464c56 01 05 00000100 1122"));
        assertThat(reader.next()).isEmpty();
        assertThat(reader.truncated()).isTrue();
        assertThat(reader.droppedTrailingBytes()).isEqualTo(2);
    }

    @Example
    void inputThatIsNoFlvFileIsAnException() {
        assertThatThrownBy(() -> reader(new byte[0]).next()).isInstanceOf(FlvException.class);
        assertThatThrownBy(() -> reader(Hex.decode("464c56 01 05 0000")).header()).isInstanceOf(FlvException.class);
        assertThatThrownBy(() -> reader("<html></html>".getBytes()).header()).isInstanceOf(FlvException.class);
    }

    @Example
    void aFailureIsFinal() throws IOException {
        FlvReader reader = new FlvReader(new ByteArrayInputStream(Hex.decode(HEADER + EXTENDED_AUDIO + VIDEO_AT_40)), 2);
        assertThat(reader.next()).contains(AUDIO_TAG);
        Throwable failure = catchThrowable(reader::next);
        assertThat(failure).isInstanceOf(FlvException.class).hasMessageContaining("3 bytes exceeds the limit of 2");
        assertThatThrownBy(reader::next).isSameAs(failure);
        assertThatThrownBy(reader::header).isSameAs(failure);
    }

    @Example
    void aTagAboveTheLimitIsRejectedBeforeItsBodyIsRead() throws IOException {
        byte[] huge = Hex.decode(HEADER + "09 ffffff 000000 00 000000");
        CountingStream in = new CountingStream(Arrays.copyOf(huge, huge.length + 100_000));
        try (FlvReader reader = new FlvReader(in, 1000)) {
            assertThatThrownBy(reader::next).isInstanceOf(FlvException.class).hasMessageContaining("16777215 bytes");
        }
        assertThat(in.read).isEqualTo(huge.length);
    }

    @Example
    void aHugeDataSizeCostsOnlyTheBytesPresent() throws IOException {
        var threads = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled(),
                "this JVM does not measure allocation per thread");
        var bean = (com.sun.management.ThreadMXBean) threads;
        byte[] bytes = Arrays.copyOf(Hex.decode(HEADER + "09 ffffff 000000 00 000000"), 10_000);
        // Warm up the code path so class loading and compilation do not count.
        readAll(reader(bytes));
        long before = bean.getCurrentThreadAllocatedBytes();
        FlvReader reader = reader(bytes);
        assertThat(readAll(reader)).isEmpty();
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        assertThat(reader.truncated()).isTrue();
        assertThat(reader.droppedTrailingBytes()).isEqualTo(10_000 - 13);
        assertThat(allocated).as("bytes allocated for a 10 kB input claiming a 16 MiB tag").isLessThan(1 << 20);
    }

    @Example
    void theLimitIsBetweenZeroAndTheDataSizeMaximum() {
        InputStream in = new ByteArrayInputStream(new byte[0]);
        assertThatThrownBy(() -> new FlvReader(in, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlvReader(in, FlvTag.MAX_BODY_SIZE + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Counts the bytes taken from it and notices being closed. */
    private static final class CountingStream extends InputStream {
        private final ByteArrayInputStream in;
        int read;
        boolean closed;

        CountingStream(byte[] bytes) {
            in = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            int b = in.read();
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = in.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
