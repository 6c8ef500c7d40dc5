package io.rtmfp4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU time of another process on this machine, read from Linux's /proc, so a load generator can
 * report what the server it drives spent (found by the UDP port it listens on); and of this one.
 */
public final class ProcessCpu {
    /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every mainstream Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** CPU time this JVM has used, every thread, user and system, in nanoseconds. */
    public static long ownNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The process that owns a UDP socket bound to {@code port}, if /proc lets us see it. */
    public static Optional<Long> findByUdpPort(int port) {
        String hexPort = String.format(":%04X", port);
        try {
            String inode = null;
            for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
                Path p = Path.of(table);
                if (!Files.isReadable(p)) {
                    continue;
                }
                for (String line : Files.readAllLines(p)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[1].endsWith(hexPort)) {
                        inode = f[9];
                        break;
                    }
                }
                if (inode != null) {
                    break;
                }
            }
            if (inode == null) {
                return Optional.empty();
            }
            String target = "socket:[" + inode + "]";
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path proc : (Iterable<Path>) procs::iterator) {
                    String name = proc.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
                        for (Path fd : (Iterable<Path>) fds::iterator) {
                            if (target.equals(Files.readSymbolicLink(fd).toString())) {
                                return Optional.of(Long.parseLong(name));
                            }
                        }
                    } catch (IOException | SecurityException e) {
                        // Not ours to look at, or gone meanwhile.
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * CPU time the whole machine has used so far, in milliseconds summed over its processors (the
     * busy columns of /proc/stat: user, nice, system, irq, softirq, steal). Less what a benchmark's
     * own processes used, it shows whether anything else ran meanwhile.
     */
    public static OptionalLong machineCpuMillis() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long ticks = 0;
                    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                        ticks += Long.parseLong(f[i]);
                    }
                    return OptionalLong.of(Math.round(ticks * 1000 / TICKS_PER_SECOND));
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** User plus system CPU seconds the process has used so far. */
    public static OptionalLong cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name may hold spaces; fields are counted after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return OptionalLong.of(Math.round(ticks * 1000 / TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
