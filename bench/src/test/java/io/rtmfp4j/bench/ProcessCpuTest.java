package io.rtmfp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
    @Test
    void machineCpuCountsAtLeastWhatThisProcessBurns() {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs Linux /proc");
        OptionalLong before = ProcessCpu.machineCpuMillis();
        long selfBefore = selfCpuMillis();
        assertThat(burn(200)).isNotNegative();
        OptionalLong after = ProcessCpu.machineCpuMillis();
        long self = selfCpuMillis() - selfBefore;
        assertThat(before).isPresent();
        assertThat(after).isPresent();
        // /proc/stat ticks are 10 ms: allow two ticks of rounding at each end.
        assertThat(after.getAsLong() - before.getAsLong()).isGreaterThanOrEqualTo(self - 40);
    }

    /** Burns {@code millis} of this process's CPU, however long a busy machine takes to grant it. */
    static long burn(long millis) {
        long start = selfCpuMillis();
        long x = 0;
        while (selfCpuMillis() - start < millis) {
            for (int i = 0; i < 100_000; i++) {
                x += Long.numberOfTrailingZeros(x + i);
            }
        }
        return x;
    }

    static long selfCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }
}
