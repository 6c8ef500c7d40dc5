package io.rtmfp4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of a server process on the same machine: resident set size from /proc, and for a JVM the
 * live heap, read with the JDK's {@code jcmd} right after a full collection.
 */
final class ServerMemory {
    private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    /** G1 and Parallel both print "... used 12345K" on the heap summary line. */
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private ServerMemory() {
    }

    static Optional<Long> rssBytes(long pid) {
        try {
            Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return m.find() ? Optional.of(Long.parseLong(m.group(1)) * 1024) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The used heap after a forced full GC, or empty if the process is not a JVM we may attach to. */
    static Optional<Long> heapUsedAfterGc(long pid) {
        if (!isJvm(pid) || jcmd(pid, "GC.run").isEmpty()) {
            return Optional.empty();
        }
        return jcmd(pid, "GC.heap_info").flatMap(out -> {
            Matcher m = HEAP_USED.matcher(out);
            return m.find() ? Optional.of(Long.parseLong(m.group(1)) * 1024) : Optional.empty();
        });
    }

    /**
     * Whether the process runs a JVM's launcher. jcmd is not tried on anything else (a C++ server
     * such as rtmfp-cpp's tcserver): its attach waits for an answer that never comes, after
     * signalling the process with SIGQUIT, which a process without a handler dies of.
     */
    static boolean isJvm(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().command())
                .map(c -> Path.of(c).getFileName().toString().equals("java")).orElse(false);
    }

    private static Optional<String> jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The memory of the servers of a run, summed, when every one of them runs on this machine
     * (found by its UDP port); null figures otherwise, since a partial sum would mislead.
     */
    record Servers(java.util.List<Long> pids) {
        static Servers of(java.util.List<ConnectLoad.Target> targets) {
            java.util.List<Long> pids = new java.util.ArrayList<>();
            for (ConnectLoad.Target t : targets) {
                Optional<Long> pid = ProcessCpu.findByUdpPort(t.address().getPort());
                if (pid.isEmpty()) {
                    return new Servers(java.util.List.of());
                }
                pids.add(pid.get());
            }
            return new Servers(java.util.List.copyOf(pids));
        }

        Long firstPid() {
            return pids.isEmpty() ? null : pids.get(0);
        }

        Long rss() {
            return sum(ServerMemory::rssBytes);
        }

        Long heapUsedAfterGc() {
            return sum(ServerMemory::heapUsedAfterGc);
        }

        /** User plus system CPU milliseconds the servers have used so far (all their threads). */
        Long cpuMillis() {
            return sum(pid -> {
                OptionalLong ms = ProcessCpu.cpuMillis(pid);
                return ms.isPresent() ? Optional.of(ms.getAsLong()) : Optional.empty();
            });
        }

        private Long sum(java.util.function.LongFunction<Optional<Long>> each) {
            if (pids.isEmpty()) {
                return null;
            }
            long total = 0;
            for (long pid : pids) {
                Optional<Long> v = each.apply(pid);
                if (v.isEmpty()) {
                    return null;
                }
                total += v.get();
            }
            return total;
        }
    }
}
