package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.flash.files.FileDigest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtmfp send} and {@code rtmfp receive} through {@code rtmfp server}, three processes on loopback. */
class FileTransferProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)]");
    private static final Pattern READY = Pattern.compile("\"event\":\"ready\",\"peerId\":\"([0-9a-f]{64})\"");
    private static final Pattern RESUMED = Pattern.compile("\"resumedAt\":(\\d+)");
    /** A bound for a hung test, not a timing: transfers of 96 MB and JVM starts are slow on a loaded machine. */
    private static final long WAIT_SECONDS = 60;
    /** The server's peer keepalive (10 s), the retransmit limit (120 s), a backed-off ERTO (10 s), and a margin. */
    private static final long PEER_LIVENESS_SECONDS = 200;

    private final List<Process> processes = new ArrayList<>();
    @TempDir
    Path tmp;
    Path inbox;
    String url;

    /** A process, its stdout as lines as they come, its stderr gathered until {@code drained}. */
    private record Running(Process process, LinkedBlockingQueue<String> lines, StringBuffer err,
            CompletableFuture<Void> drained) {
        /** The next stdout line matching {@code p}, within a bound generous for a loaded machine. */
        Matcher await(Pattern p) throws InterruptedException {
            return await(p, WAIT_SECONDS);
        }

        Matcher await(Pattern p, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                String line = lines.poll(left, TimeUnit.NANOSECONDS);
                Matcher m = line == null ? null : p.matcher(line);
                if (m != null && m.find()) {
                    return m;
                }
            }
            throw new AssertionError("no line matching " + p + "; stderr: " + err);
        }

        int exit() throws Exception {
            assertThat(process.waitFor(3 * WAIT_SECONDS, TimeUnit.SECONDS)).as("process finished; stderr: " + err).isTrue();
            // All it wrote, read to the end: what a test asserts on err is complete.
            drained.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return process.exitValue();
        }

        String out() {
            return String.join("\n", lines);
        }
    }

    @BeforeEach
    void server() throws Exception {
        inbox = Files.createDirectory(tmp.resolve("inbox"));
        Running server = start("server", "--bind", "127.0.0.1", "--port", "0", "--admin", "off");
        Matcher port = LISTENING.matcher("");
        Awaitility.await("the server announces its port").atMost(WAIT_SECONDS, TimeUnit.SECONDS)
                .until(() -> port.reset(server.err()).find());
        url = "rtmfp://127.0.0.1:" + port.group(1) + "/files";
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private Running start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Rtmfp.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        processes.add(p);
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuffer err = new StringBuffer();
        CompletableFuture.runAsync(() -> new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8)).lines().forEach(lines::add));
        return new Running(p, lines, err, CompletableFuture.runAsync(() -> drain(p.getErrorStream(), err)));
    }

    private static void drain(InputStream in, StringBuffer into) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException closed) {
            // The process ended.
        }
    }

    private Path randomFile(String name, int size) throws IOException {
        Path file = tmp.resolve(name);
        byte[] block = new byte[1 << 20];
        Random random = new Random(size);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, Math.min(block.length, left));
            }
        }
        return file;
    }

    private Running receiver(String... extra) throws IOException {
        // Its own 10 s for the server's answer is a user's bound, not a loaded machine's.
        List<String> args = new ArrayList<>(List.of("receive", "--json", "--dir", inbox.toString(), "--server", url,
                "--connect-timeout", WAIT_SECONDS + "s"));
        args.addAll(List.of(extra));
        return start(args.toArray(String[]::new));
    }

    @Test
    void aFileSentToAReceiverByNameArrivesIdenticalAndBothExitZero() throws Exception {
        Running receiver = receiver("--once", "--name", "bob");
        String peerId = receiver.await(READY).group(1);
        Path file = randomFile("four.bin", 4 << 20);

        Running sender = start("send", file.toString(), "--to", "Bob", "--server", url, "--json");

        assertThat(sender.exit()).as(sender.err().toString()).isZero();
        assertThat(sender.out()).contains("\"event\":\"sent\",\"peerId\":\"" + peerId + "\",\"name\":\"four.bin\","
                + "\"size\":4194304");
        assertThat(receiver.exit()).as(receiver.err().toString()).isZero();
        assertThat(receiver.out()).contains("\"event\":\"received\"");
        assertThat(Files.readAllBytes(inbox.resolve("four.bin"))).isEqualTo(Files.readAllBytes(file));
        try (var listing = Files.list(inbox)) {
            assertThat(listing).hasSize(1);
        }
    }

    @Test
    void aSenderWhoseReceiverDiedExitsThreeAndResumesWhenSentAgain() throws Exception {
        Path identity = tmp.resolve("receiver.identity");
        assertThat(start("keygen", "--out", identity.toString()).exit()).isZero();
        Running first = receiver("--identity", identity.toString());
        String peerId = first.await(READY).group(1);
        Path file = randomFile("big.bin", 96 << 20);

        Running sender = start("send", file.toString(), "--to", peerId, "--server", url, "--json");
        first.await(Pattern.compile("\"event\":\"progress\""));
        first.process().destroy();

        assertThat(sender.exit()).as(sender.err().toString()).isEqualTo(SendCommand.EXIT_INTERRUPTED);
        assertThat(sender.err().toString()).contains("the receiver left after").contains("send again to resume");
        // Measured once the receiver is gone: the sender may hear of the stop while the receiver still finishes
        // a write, and a part still growing would be resumed from further on than measured.
        assertThat(first.process().waitFor(3 * WAIT_SECONDS, TimeUnit.SECONDS)).as("the stopped receiver exited").isTrue();
        long kept = Files.size(inbox.resolve("big.bin.part"));
        assertThat(kept).isPositive().isLessThan(96 << 20);

        Running second = receiver("--identity", identity.toString(), "--once");
        assertThat(second.await(READY).group(1)).isEqualTo(peerId);
        Running again = start("send", file.toString(), "--to", peerId, "--server", url, "--json");

        assertThat(again.exit()).as(again.err().toString()).isZero();
        Matcher resumed = RESUMED.matcher(again.out());
        assertThat(resumed.find()).isTrue();
        assertThat(Long.parseLong(resumed.group(1))).isEqualTo(kept);
        assertThat(second.exit()).isZero();
        assertThat(FileDigest.sha256(inbox.resolve("big.bin"))).isEqualTo(FileDigest.sha256(file));
    }

    @Test
    void stoppingASenderBlamesNobodyAndStoppingAnIdleReceiverIsQuiet() throws Exception {
        Running receiver = receiver();
        String peerId = receiver.await(READY).group(1);
        Path file = randomFile("big.bin", 96 << 20);
        Running sender = start("send", file.toString(), "--to", peerId, "--server", url, "--json");
        receiver.await(Pattern.compile("\"event\":\"progress\""));

        // What Ctrl-C does, through the same shutdown hooks: SIGTERM, which a test can send. Through the
        // process handle: Process.destroy() would also close the pipes, losing what the command says.
        sender.process().toHandle().destroy();

        assertThat(sender.exit()).isEqualTo(128 + 15);
        assertThat(sender.err().toString()).contains("rtmfp send: stopped; send again to resume")
                .doesNotContain("receiver left");
        // The sender's close is usually heard at once. On a loaded machine the receiver's full socket buffer
        // may drop it and every repetition the sender makes while it lingers; the receiver then learns of it
        // when its keepalive goes unanswered: the server's peer keepalive plus the retransmit limit.
        receiver.await(Pattern.compile("\"event\":\"failed\""), PEER_LIVENESS_SECONDS);

        receiver.process().toHandle().destroy();

        assertThat(receiver.exit()).isEqualTo(128 + 15);
        assertThat(receiver.err().toString()).doesNotContain("rtmfp receive:");
    }

    @Test
    void mistakesAreReportedClearly() throws Exception {
        Running missing = start("send", tmp.resolve("absent.bin").toString(), "--to", "ab".repeat(32), "--server", url);
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().toString()).contains("rtmfp send: cannot read").contains("no such file");

        Running badDir = start("receive", "--dir", tmp.resolve("absent").toString(), "--server", url);
        assertThat(badDir.exit()).isEqualTo(2);
        assertThat(badDir.err().toString()).contains("rtmfp receive: --dir " + tmp.resolve("absent") + ": no such directory");

        Running badName = start("receive", "--dir", inbox.toString(), "--server", url, "--name", "no spaces");
        assertThat(badName.exit()).isEqualTo(2);
        assertThat(badName.err().toString()).contains("rtmfp receive: --name:");

        Path file = randomFile("x.bin", 1000);
        Running nobody = start("send", file.toString(), "--to", "ab".repeat(32), "--server", url);
        assertThat(nobody.exit()).isEqualTo(1);
        assertThat(nobody.err().toString()).contains("rtmfp send: peer " + "ab".repeat(32) + " is not connected to " + url);

        Running noName = start("send", file.toString(), "--to", "carol", "--server", url);
        assertThat(noName.exit()).isEqualTo(1);
        assertThat(noName.err().toString()).contains("rtmfp send: no peer named 'carol' is connected to " + url);

        Files.writeString(inbox.resolve("x.bin"), "another x");
        String receiverId = receiver().await(READY).group(1);
        Running refused = start("send", file.toString(), "--to", receiverId, "--server", url);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().toString()).contains("rtmfp send: the receiver refused x.bin: x.bin already exists");
        assertThat(Files.readString(inbox.resolve("x.bin"))).isEqualTo("another x");
    }

    @Test
    void benchP2pPrintsFirstDataTimesAndGoodputNextToTcp() throws Exception {
        Running bench = start("bench", "p2p", "--server", url, "--size", "2", "--runs", "3", "--rounds", "1",
                "--warmup", "0", "--dir", tmp.toString());

        assertThat(bench.exit()).as(bench.err().toString()).isZero();
        String json = bench.out().trim();
        assertThat(json).startsWith("{\"bench\":\"p2p\"").endsWith("}").contains("\"runs\":3")
                .contains("\"fileBytes\":2097152");
        for (String figure : List.of("p50", "p90", "p2pMBpsMedian", "tcpMBpsMedian", "p2pToTcp", "p2pCpuSecondsPerGBMedian",
                "tcpCpuSecondsPerGBMedian", "tcpWriteBackMBpsMedian", "p2pToTcpWriteBack")) {
            Matcher m = Pattern.compile("\"" + figure + "\":([0-9.]+)").matcher(json);
            assertThat(m.find()).as(figure + " in " + json).isTrue();
            assertThat(Double.parseDouble(m.group(1))).as(figure).isPositive();
        }
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("inbox");
        }
    }
}
