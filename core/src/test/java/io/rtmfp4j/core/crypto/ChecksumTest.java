package io.rtmfp4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    @Test
    void specExampleAddsOddByteAsLowByte() {
        // spec §1.4 / B.5: 0x0102 + 0x0304 + 0x0005 = 0x040b -> 0xfbf4
        assertThat(Checksum.compute(new byte[] {1, 2, 3, 4, 5}, 0, 5)).isEqualTo(0xfbf4);
    }

    @Test
    void emptyAndOffsets() {
        assertThat(Checksum.compute(new byte[0], 0, 0)).isEqualTo(0xffff);
        assertThat(Checksum.compute(new byte[] {9, 9, 1, 2, 3, 4, 5, 9}, 2, 5)).isEqualTo(0xfbf4);
    }

    @Test
    void foldsCarries() {
        byte[] ff = TestVectors.repeat(0xff, 1000);
        assertThat(Checksum.compute(ff, 0, ff.length)).isEqualTo(0);
    }

    /** Any slice of any array, so the word-at-a-time loop also runs from unaligned offsets. */
    @Property
    void matchesRfc1071WithLowOddByte(@ForAll @Size(max = 300) byte[] b, @ForAll @IntRange(max = 20) int offset,
            @ForAll @IntRange(max = 20) int tail) {
        byte[] padded = new byte[offset + b.length + tail];
        java.util.Arrays.fill(padded, (byte) 0x5a);
        System.arraycopy(b, 0, padded, offset, b.length);
        long sum = 0;
        for (int i = 0; i < b.length; i += 2) {
            sum += i + 1 < b.length ? ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff) : (b[i] & 0xff);
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        assertThat(Checksum.compute(padded, offset, b.length)).isEqualTo((int) (~sum & 0xffff));
    }
}
