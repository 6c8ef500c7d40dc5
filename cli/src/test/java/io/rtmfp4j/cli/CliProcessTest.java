package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtmfp4j.cli.CliProcesses.Result;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.flash.flv.FlvReader;
import io.rtmfp4j.flash.flv.FlvTag;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtmfp ping} against {@code rtmfp server}, both as real processes on loopback. */
class CliProcessTest {
    private static final Pattern LISTENING = CliProcesses.LISTENING;
    private static final Pattern SERVER_ID = Pattern.compile("server peer ID ([0-9a-f]{64})");
    private static final Pattern PEER_ID = Pattern.compile("^peer ID ([0-9a-f]{64})");
    /** Processes wait on each other: a bound for a hung test, generous for a loaded machine. */
    private static final Duration CHAT_WAIT = Duration.ofSeconds(60);
    private final CliProcesses cli = new CliProcesses();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        cli.close();
    }

    private Process start(String... args) throws IOException {
        return cli.start(args);
    }

    private Result run(String... args) throws Exception {
        return cli.run(args);
    }

    private String startServer(String... extra) throws IOException {
        return cli.startServer(extra);
    }

    private static String read(java.io.InputStream in) {
        return CliProcesses.read(in);
    }

    @Test
    void pingReachesServerAndReportsItsPeerIdGroupAndRtt(@TempDir Path dir) throws Exception {
        Path identity = dir.resolve("me.identity");
        Result keygen = run("keygen", "--dh-groups", "14,2", "--out", identity.toString());
        assertThat(keygen.exit()).as(keygen.err()).isZero();
        String clientId = PeerIdentity.load(Files.readString(identity)).certificate().peerId();
        assertThat(keygen.out()).contains("peer ID " + clientId);
        Process server = start("server", "--bind", "127.0.0.1", "--port", "0", "--admin", "127.0.0.1:0");
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
        String port = null;
        String serverId = null;
        for (String line; port == null && (line = log.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            Matcher id = SERVER_ID.matcher(line);
            if (m.find() && id.find()) {
                port = m.group(1);
                serverId = id.group(1);
            }
        }
        assertThat(port).as("server announced its port").isNotNull();
        List<String> serverLines = collect(log);

        Result ping = run("ping", "--json", "--identity", identity.toString(), "rtmfp://127.0.0.1:" + port + "/app");

        assertThat(ping.exit()).as(ping.err()).isZero();
        assertThat(ping.out()).contains("\"peerId\":\"" + serverId + "\"").contains("\"dhGroup\":14")
                .containsPattern("\"rttMs\":[0-9.]+");
        org.awaitility.Awaitility.await().atMost(CHAT_WAIT).untilAsserted(() -> {
            synchronized (serverLines) {
                assertThat(String.join("\n", serverLines)).contains("session open").contains("peerId=" + clientId)
                        .contains("session closed");
            }
        });
    }

    @Test
    void serverLogsOneJsonObjectPerLineWithSessionFieldsWhenAsked() throws Exception {
        Process server = start("server", "--bind", "127.0.0.1", "--port", "0", "--admin", "off", "--log-format", "json");
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
        ObjectMapper mapper = new ObjectMapper();
        String port = null;
        for (String line; port == null && (line = log.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(mapper.readTree(line).path("formattedMessage").asText());
            if (m.find()) {
                port = m.group(1);
            }
        }
        assertThat(port).as("server announced its port").isNotNull();
        List<String> lines = collect(log);

        Result ping = run("ping", "rtmfp://127.0.0.1:" + port + "/app");

        assertThat(ping.exit()).as(ping.err()).isZero();
        org.awaitility.Awaitility.await().atMost(CHAT_WAIT).untilAsserted(() -> {
            List<JsonNode> parsed = new ArrayList<>();
            synchronized (lines) {
                for (String l : lines) {
                    parsed.add(mapper.readTree(l));
                }
            }
            JsonNode closed = parsed.stream().filter(n -> n.path("formattedMessage").asText().equals("session closed"))
                    .findFirst().orElseThrow(() -> new AssertionError("no session closed line in " + lines));
            assertThat(closed.path("level").asText()).isEqualTo("INFO");
            Map<String, String> fields = new HashMap<>();
            // Logback's JsonEncoder writes the key/value pairs as a list of one-entry objects.
            closed.path("kvpList").forEach(kv -> kv.fields()
                    .forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText())));
            assertThat(fields.get("peerId")).matches("[0-9a-f]{64}");
            assertThat(fields.get("address")).startsWith("127.0.0.1:");
            assertThat(fields).containsKeys("app", "durationSeconds", "reason");
        });
    }

    /** The lines still to come from a process's output, read in the background; lock the list to read it. */
    private static List<String> collect(BufferedReader log) {
        List<String> lines = new ArrayList<>();
        CompletableFuture.runAsync(() -> log.lines().forEach(l -> {
            synchronized (lines) {
                lines.add(l);
            }
        }));
        return lines;
    }

    @Test
    void serverReusingItsKeyPairStillKeysEverySession() throws Exception {
        String port = startServer("--dh-groups", "2", "--dh-key-reuse", "2", "--dh-key-lifetime", "60s");

        for (int i = 0; i < 3; i++) {
            Result ping = run("ping", "--json", "rtmfp://127.0.0.1:" + port + "/app");
            assertThat(ping.exit()).as(ping.err()).isZero();
            assertThat(ping.out()).contains("\"dhGroup\":2");
        }
    }

    @Test
    void pingEchoGetsEveryMessageBackInOrderFromServerEcho() throws Exception {
        String port = startServer("--echo");

        Result ping = run("ping", "--json", "--echo", "20", "--size", "3000", "rtmfp://127.0.0.1:" + port + "/app");

        assertThat(ping.exit()).as(ping.err()).isZero();
        assertThat(ping.out()).contains("\"echo\":{\"messages\":20,\"size\":3000,\"bytes\":60000,")
                .contains("\"returnMetadata\":\"rtmfp4j echo return\"");

        Result human = run("ping", "--echo", "5", "--size", "10", "rtmfp://127.0.0.1:" + port + "/app");
        assertThat(human.exit()).as(human.err()).isZero();
        assertThat(human.out()).contains("5 messages of 10 bytes").contains("returned intact and in order");
    }

    @Test
    void pingEchoAgainstAServerThatRejectsFlowsFailsWithExitOne() throws Exception {
        String port = startServer();

        // The refusal comes at once: the timeout is only a bound, generous for a handshake on a loaded machine.
        Result ping = run("ping", "--echo", "3", "--size", "100", "--timeout", "60s", "rtmfp://127.0.0.1:" + port);

        assertThat(ping.exit()).isEqualTo(1);
        assertThat(ping.err()).contains("rtmfp ping: rtmfp://127.0.0.1:" + port).contains("rejected our flow");
    }

    @Test
    void echoMisuseIsAUsageErrorWithExitTwo() throws Exception {
        Result size = run("ping", "--echo", "3", "--size", "-1", "rtmfp://127.0.0.1:1");
        assertThat(size.exit()).isEqualTo(2);
        assertThat(size.err()).contains("--size must be 0..16777216 bytes, got -1");

        Result count = run("ping", "--echo", "-5", "rtmfp://127.0.0.1:1");
        assertThat(count.exit()).isEqualTo(2);
        assertThat(count.err()).contains("--echo must be");

        Result seconds = run("bench", "throughput", "--seconds", "0");
        assertThat(seconds.exit()).isEqualTo(2);
        assertThat(seconds.err()).contains("--seconds must be 1..3600");
    }

    @Test
    void benchThroughputPrintsJsonWithPositiveGoodput() throws Exception {
        Result bench = run("bench", "throughput", "--seconds", "1", "--warmup", "200ms");

        assertThat(bench.exit()).as(bench.err()).isZero();
        String json = bench.out().trim();
        assertThat(json).startsWith("{\"bench\":\"throughput\"").endsWith("}");
        Matcher goodput = Pattern.compile("\"goodputMBps\":([0-9.]+)").matcher(json);
        assertThat(goodput.find()).as(json).isTrue();
        assertThat(Double.parseDouble(goodput.group(1))).isPositive();
        assertThat(json).containsPattern("\"processCpuSecondsPerGB\":[0-9.]+").containsPattern("\"datagramsPerSecond\":[0-9.]+");
    }

    @Test
    void benchRelayComparesRelayedWithDirectTransfersAndCountsTheServersCpu() throws Exception {
        Result bench = run("bench", "relay", "--size", "4", "--rounds", "1", "--warmup", "0");

        assertThat(bench.exit()).as(bench.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(bench.out());
        assertThat(json.path("bench").asText()).isEqualTo("relay");
        assertThat(json.path("serverPid").isNumber()).as(bench.out()).isTrue();
        assertThat(json.path("directMbps").size()).isEqualTo(1);
        assertThat(json.path("relayedMbps").size()).isEqualTo(1);
        assertThat(json.path("directMbpsMedian").asDouble()).isPositive();
        assertThat(json.path("relayedMbpsMedian").asDouble()).isPositive();
        // The server forwarded every relayed byte, so it spent CPU on them.
        assertThat(json.path("relayedServerCpuSeconds").get(0).asDouble()).as(bench.out()).isPositive();
        assertThat(json.path("serverCpuPercentPerRelayedMbps").asDouble()).isPositive();
    }

    @Test
    void benchConnectSpreadOverTwoDriverProcessesSumsTheirClients() throws Exception {
        List<JsonNode> lines = benchConnect("--clients", "11", "--drivers", "2", "--concurrency", "4",
                "--introductions", "3", "--hold", "1s");

        assertThat(lines).hasSize(1);
        JsonNode json = lines.get(0);
        assertThat(json.path("drivers").asInt()).isEqualTo(2);
        assertThat(json.path("connected").asInt()).isEqualTo(11);
        assertThat(json.path("held").asInt()).isEqualTo(11);
        assertThat(json.path("failed").asInt()).isZero();
        assertThat(json.path("connectsPerSecond").asDouble()).isPositive();
        assertThat(json.path("introductions").asInt()).isEqualTo(3);
        assertThat(json.path("serverHeapPerSessionBytes").isNumber()).isTrue();
    }

    @Test
    void benchConnectInBatchesPrintsALinePerBatchEachWithItsOwnClients() throws Exception {
        List<JsonNode> lines = benchConnect("--clients", "6", "--concurrency", "3", "--introductions", "0",
                "--hold", "1ms", "--batches", "2");

        assertThat(lines).hasSize(2);
        for (int b = 0; b < lines.size(); b++) {
            JsonNode json = lines.get(b);
            assertThat(json.path("bench").asText()).isEqualTo("connect");
            assertThat(json.path("batch").asInt()).isEqualTo(b + 1);
            assertThat(json.path("connected").asInt()).as(json.toString()).isEqualTo(6);
            assertThat(json.path("held").asInt()).as(json.toString()).isEqualTo(6);
            assertThat(json.path("failed").asInt()).isZero();
            // Read from /proc in 10 ms steps: a warm batch of 6 connects may read 0, but it is read.
            assertThat(json.path("serverCpuMsPerConnect").isNumber()).as(json.toString()).isTrue();
        }

        Result misuse = run("bench", "connect", "--server", "rtmfp://127.0.0.1:1935/app", "--batches", "0");
        assertThat(misuse.exit()).isEqualTo(2);
        assertThat(misuse.err()).contains("--batches must be 1..100");
    }

    /** {@code rtmfp bench connect} against a server of its own, with {@code options}: its JSON lines, once it exited 0. */
    private List<JsonNode> benchConnect(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("bench", "connect", "--server",
                "rtmfp://127.0.0.1:" + startServer() + "/app"));
        args.addAll(List.of(options));
        Result bench = run(args.toArray(String[]::new));
        assertThat(bench.exit()).as(bench.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : bench.out().lines().filter(l -> l.startsWith("{")).toList()) {
            lines.add(mapper.readTree(line));
        }
        return lines;
    }

    @Test
    void pingToNothingFailsClearlyWithExitOne() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        Result ping = run("ping", "--timeout", "2s", "rtmfp://127.0.0.1:" + port);

        assertThat(ping.exit()).isEqualTo(1);
        assertThat(ping.err()).contains("rtmfp ping: rtmfp://127.0.0.1:" + port);
    }

    /** Every tag of an FLV file, in file order. */
    private static List<FlvTag> flvTags(Path file) throws IOException {
        List<FlvTag> tags = new ArrayList<>();
        try (FlvReader reader = new FlvReader(Files.newInputStream(file))) {
            for (var tag = reader.next(); tag.isPresent(); tag = reader.next()) {
                tags.add(tag.get());
            }
        }
        return tags;
    }

    /** flash's test file: two seconds of H.264 and AAC, 112 tags. */
    private static Path testFlv(Path dir) throws IOException {
        Path file = dir.resolve("in.flv");
        try (var in = CliProcessTest.class.getResourceAsStream("/io/rtmfp4j/flash/flv/testsrc.flv")) {
            assertThat(in).as("flash test resource testsrc.flv").isNotNull();
            Files.copy(in, file);
        }
        return file;
    }

    private record Publisher(Process process, String peerId) {
    }

    /** Starts {@code rtmfp stream publish} and returns once it printed its peer ID; its output goes on to {@code lines}. */
    private Publisher startPublisher(List<String> lines, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("stream", "publish"));
        cmd.addAll(List.of(args));
        Process publisher = start(cmd.toArray(String[]::new));
        CompletableFuture.runAsync(() -> read(publisher.getErrorStream()));
        BufferedReader out = new BufferedReader(new InputStreamReader(publisher.getInputStream(), StandardCharsets.UTF_8));
        String peerId = null;
        for (String line; peerId == null && (line = out.readLine()) != null; ) {
            lines.add(line);
            Matcher m = PEER_ID.matcher(line);
            if (m.find()) {
                peerId = m.group(1);
            }
        }
        assertThat(peerId).as("the publisher printed its peer ID: " + lines).isNotNull();
        CompletableFuture.runAsync(() -> out.lines().forEach(lines::add));
        return new Publisher(publisher, peerId);
    }

    @Test
    void streamPlayRecordsWhatStreamPublishSendsTagForTag(@TempDir Path dir) throws Exception {
        Path in = testFlv(dir);
        Path out = dir.resolve("out.flv");
        String url = "rtmfp://127.0.0.1:" + startServer() + "/app";
        List<String> published = new CopyOnWriteArrayList<>();
        Publisher publisher = startPublisher(published, "--server", url, "--name", "live", "--file", in.toString(),
                "--nickname", "cam");
        String peerId = publisher.peerId();

        Result play = run("stream", "play", "--server", url, "--from", "cam", "--name", "live", "--out", out.toString());

        assertThat(play.exit()).as(play.err()).isZero();
        assertThat(play.out()).contains("cam is peer " + peerId).contains("playing 'live' from " + peerId)
                .contains("the stream ended").contains("recorded 112 tags (89 audio, 22 video, 1 data)");
        assertThat(publisher.process().waitFor(CHAT_WAIT.toSeconds(), TimeUnit.SECONDS)).as("the publisher ends at the end of the file")
                .isTrue();
        assertThat(publisher.process().exitValue()).isZero();
        org.awaitility.Awaitility.await().atMost(CHAT_WAIT).untilAsserted(() -> assertThat(published)
                .anyMatch(l -> l.matches("player [0-9a-f]{64} joined"))
                .anyMatch(l -> l.startsWith("sent 112 tags (89 audio, 22 video, 1 data)")));
        List<FlvTag> sent = flvTags(in);
        List<FlvTag> received = flvTags(out);
        // Audio, video and data travel on separate flows: each in order, the three interleaved as they arrive.
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        for (int type : new int[] {FlvTag.AUDIO, FlvTag.VIDEO, FlvTag.SCRIPT_DATA}) {
            assertThat(received.stream().filter(t -> t.type() == type).toList())
                    .isEqualTo(sent.stream().filter(t -> t.type() == type).toList());
        }
    }

    @Test
    void streamPlayFailsClearlyWhenThereIsNothingToPlay(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.flv");
        String url = "rtmfp://127.0.0.1:" + startServer() + "/app";
        String peerId = startPublisher(new CopyOnWriteArrayList<>(), "--server", url, "--name", "live", "--file",
                testFlv(dir).toString()).peerId();

        Result notFound = run("stream", "play", "--server", url, "--from", peerId, "--name", "other", "--out",
                out.toString());
        assertThat(notFound.exit()).isEqualTo(1);
        assertThat(notFound.err()).contains("rtmfp stream play: peer " + peerId + " publishes no stream named 'other'");
        assertThat(out).doesNotExist();

        Result unknownName = run("stream", "play", "--server", url, "--from", "nobody", "--name", "live", "--out",
                out.toString());
        assertThat(unknownName.exit()).isEqualTo(1);
        assertThat(unknownName.err()).contains("rtmfp stream play: no peer named 'nobody' is connected to " + url);

        // Checked with the server, as send does: no waiting out the timeout for a peer that is not there.
        String nobody = "ab".repeat(32);
        Result unknown = run("stream", "play", "--server", url, "--from", nobody, "--name", "live", "--out",
                out.toString(), "--timeout", "10m");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("rtmfp stream play: peer " + nobody + " is not connected to " + url);

        int port;
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Result noServer = run("stream", "play", "--server", "rtmfp://127.0.0.1:" + port + "/app", "--from", peerId,
                "--name", "live", "--out", out.toString(), "--timeout", "2s");
        assertThat(noServer.exit()).isEqualTo(1);
        assertThat(noServer.err()).contains("rtmfp stream play: no answer from rtmfp://127.0.0.1:" + port + "/app");

        Result misuse = run("stream", "publish", "--server", url, "--name", "live", "--file",
                dir.resolve("absent.flv").toString());
        assertThat(misuse.exit()).isEqualTo(2);
        assertThat(misuse.err()).contains("cannot read --file");
        Result badNickname = run("stream", "publish", "--server", url, "--name", "live", "--nickname", "not a name",
                "--file", dir.resolve("absent.flv").toString());
        assertThat(badNickname.exit()).isEqualTo(2);
        assertThat(badNickname.err()).contains("--nickname: invalid nickname");
        Path notFlv = Files.writeString(dir.resolve("not.flv"), "hello");
        Result garbage = run("stream", "publish", "--server", url, "--name", "live", "--file", notFlv.toString());
        assertThat(garbage.exit()).isEqualTo(1);
        assertThat(garbage.err()).contains("not an FLV file");
    }

    /** A running {@code rtmfp chat}: what it prints, line by line, and its keyboard. */
    private record Terminal(Process process, Lines out, Lines err, Writer keyboard) {
        void type(String line) throws IOException {
            keyboard.write(line + "\n");
            keyboard.flush();
        }

        int exitCode() throws InterruptedException {
            assertThat(process.waitFor(CHAT_WAIT.toSeconds(), TimeUnit.SECONDS)).as("chat ended").isTrue();
            return process.exitValue();
        }
    }

    /** Starts {@code rtmfp chat} on the server at {@code port}; the timeout leaves room for a loaded machine. */
    private Terminal chat(String port, String name, String... to) throws IOException {
        List<String> args = new ArrayList<>(List.of("chat", "--server", "rtmfp://127.0.0.1:" + port + "/chat",
                "--name", name, "--timeout", "30s"));
        args.addAll(List.of(to));
        Process p = start(args.toArray(String[]::new));
        return new Terminal(p, Lines.of(p.getInputStream()), Lines.of(p.getErrorStream()),
                new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
    }

    @Test
    void twoChatsTalkBothWaysInOrderRefuseAThirdAndQuitEndsBoth() throws Exception {
        String port = startServer();
        Terminal alice = chat(port, "alice");
        alice.out().await("* waiting", CHAT_WAIT);
        Terminal bob = chat(port, "bob", "--to", "alice");
        alice.out().await("* chatting with bob", CHAT_WAIT);
        bob.out().await("* chatting with alice", CHAT_WAIT);

        for (int i = 0; i < 20; i++) {
            alice.type("ça va? " + i);
            bob.type("très bien ✓ " + i);
        }

        assertThat(bob.out().await(l -> l.startsWith("alice: "), 20, CHAT_WAIT))
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "alice: ça va? " + i).toList());
        assertThat(alice.out().await(l -> l.startsWith("bob: "), 20, CHAT_WAIT))
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "bob: très bien ✓ " + i).toList());

        Terminal carol = chat(port, "carol", "--to", "alice");
        assertThat(carol.exitCode()).isEqualTo(1);
        assertThat(carol.err().await("rtmfp chat:", CHAT_WAIT)).isEqualTo("rtmfp chat: alice refused the chat");

        alice.type("/quit");
        assertThat(alice.exitCode()).isZero();
        bob.out().await("* alice left", CHAT_WAIT);
        assertThat(bob.exitCode()).isZero();
        assertThat(alice.err().untilEnd(CHAT_WAIT)).isEmpty();
        assertThat(bob.err().untilEnd(CHAT_WAIT)).isEmpty();
    }

    @Test
    void stoppingAChatHangsUpSoThePeerSeesItLeave() throws Exception {
        String port = startServer();
        Terminal alice = chat(port, "alice");
        Terminal bob = chat(port, "bob", "--to", alice.out().group(ChatTest.PEER_ID, CHAT_WAIT));
        alice.out().await("* chatting with bob", CHAT_WAIT);

        // What Ctrl-C does: the JVM runs its shutdown hooks, one of which hangs up. Without it the
        // peer would only notice after the session's retransmission limit (120 s).
        bob.process().destroy();

        alice.out().await("* bob left", CHAT_WAIT);
        assertThat(alice.exitCode()).isZero();
    }

    @Test
    void serverMisconfigurationIsReportedClearly(@TempDir Path dir) throws Exception {
        Result keys = run("server", "--port", "0", "--admin", "off", "--auth", "keys");
        assertThat(keys.exit()).isEqualTo(2);
        assertThat(keys.err()).contains("--auth keys needs --keys-file FILE");

        Path config = Files.writeString(dir.resolve("server.properties"), "max-sesions=10\n");
        Result typo = run("server", "--config", config.toString());
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown setting 'max-sesions'");

        Result reuse = run("server", "--port", "0", "--admin", "off", "--dh-key-reuse", "0");
        assertThat(reuse.exit()).isEqualTo(2);
        assertThat(reuse.err()).contains("--dh-key-reuse must be 1..100000, got 0");

        Result missing = run("server", "--config", dir.resolve("absent.properties").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read --config");
    }

    @Test
    void serverTakesItsSettingsFromAConfigFile(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("server.properties"),
                "bind=127.0.0.1\nport=0\nadmin=off\nauth=token\nsecret=s3cret\n");
        Process server = start("server", "--config", config.toString());
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
        String line = null;
        for (String l; line == null && (l = log.readLine()) != null; ) {
            if (l.contains("listening on")) {
                line = l;
            }
        }
        assertThat(line).isNotNull().contains("auth token").contains("admin off").containsPattern(LISTENING.pattern());
    }

    @Test
    void handshakeBenchHelpSaysHowToLiftTheServersRateLimit() throws Exception {
        Result help = run("bench", "handshake", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--handshake-rate 1000000 --handshake-burst 1000000");

        Result tooManyThreads = run("bench", "handshake", "--concurrency", "2", "--client-threads", "3");
        assertThat(tooManyThreads.exit()).isNotZero();
        assertThat(tooManyThreads.err()).contains("--client-threads must be 1..2");
    }

    @Test
    void benchJmhRunsJmhFromTheFolderBesideTheJar() throws Exception {
        Result list = run("bench", "jmh", "-l");

        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("io.rtmfp4j.bench.jmh.PacketProtectionBenchmark.sealAndOpen");
    }

    @Test
    void tokenPrintsTheTcserverCompatibleToken() throws Exception {
        Result token = run("token", "--secret", "s3cret", "live");
        assertThat(token.exit()).as(token.err()).isZero();
        // printf 'live' | openssl dgst -sha256 -hmac s3cret
        assertThat(token.out().trim()).isEqualTo("49ddaf05419fa20fdb9d4db236f547701997f1201ceb2c11e5516559f1d53815");
    }

    @Test
    void misuseIsReportedWithNonZeroExit() throws Exception {
        Result bad = run("ping", "http://example.invalid");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("expected an rtmfp:// URI");

        Result unknown = run("frobnicate");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("frobnicate");
    }

    @Test
    void aServerRestartedWithTheSameIdentityFileKeepsItsPeerId(@TempDir Path dir) throws Exception {
        Path identity = dir.resolve("server.identity");
        Result keygen = run("keygen", "--server", "--dh-groups", "14,2", "--out", identity.toString());
        assertThat(keygen.exit()).as(keygen.err()).isZero();
        String id = PeerIdentity.load(Files.readString(identity)).certificate().peerId();
        assertThat(keygen.out()).contains("peer ID " + id);

        for (int start = 0; start < 2; start++) {
            String line = cli.startServerLog("--identity", identity.toString());
            assertThat(line).contains("server peer ID " + id + " (from " + identity + ")").contains("DH groups [DH group 14, DH group 2]");
            List<Process> started = cli.processes();
            for (Process p : started) {
                // Only the server just started runs: the same identity in a new process.
                assertThat(p.isAlive()).isEqualTo(p == started.get(started.size() - 1));
            }
            Matcher port = LISTENING.matcher(line);
            assertThat(port.find()).isTrue();

            Result ping = run("ping", "--json", "rtmfp://127.0.0.1:" + port.group(1) + "/app");

            assertThat(ping.exit()).as(ping.err()).isZero();
            assertThat(ping.out()).contains("\"peerId\":\"" + id + "\"").contains("\"dhGroup\":14");
            stopProcesses();
        }
        // Without it, a new peer ID at every start, and the start line says so.
        assertThat(cli.startServerLog()).containsPattern("server peer ID [0-9a-f]{64} \\(fresh, new at every start\\)")
                .doesNotContain(id);
    }

    @Test
    void serverSaysWhenTheKernelGrantsLessReceiveBufferThanAskedFor() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/sys/net/core/rmem_max")),
                "Linux caps SO_RCVBUF at net.core.rmem_max");
        long cap = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).trim());
        long asked = Math.min(Integer.MAX_VALUE, cap * 4);

        String capped = cli.startServerLog("--receive-buffer", Long.toString(asked));
        String granted = cli.startServerLog("--receive-buffer", Long.toString(Math.min(cap, 65536)));

        assertThat(capped).contains("the kernel granted a receive buffer of " + cap + " bytes of the " + asked
                + " asked for");
        assertThat(granted).doesNotContain("the kernel granted");
    }

    @Test
    void benchHandshakeSaysWhenItMeasuredTheServersRateLimit() throws Exception {
        // One startup packet a second: the driver's eight clients start with eight IHellos at once.
        String log = cli.startServerLog("--handshake-rate", "1", "--handshake-burst", "1", "--dh-groups", "2");
        Matcher port = LISTENING.matcher(log);
        Matcher admin = Pattern.compile("admin (http://127\\.0\\.0\\.1:\\d+)/status").matcher(log);
        assertThat(port.find()).isTrue();
        assertThat(admin.find()).isTrue();

        Result bench = run("bench", "handshake", "--server", "rtmfp://127.0.0.1:" + port.group(1), "--seconds", "2",
                "--admin", admin.group(1));

        assertThat(bench.exit()).as(bench.err()).isEqualTo(3);
        assertThat(bench.out()).containsPattern("\"serverRateLimited\":[1-9]");
        assertThat(bench.err()).contains("is its rate limit, not its handshake speed")
                .contains("--handshake-rate 1000000 --handshake-burst 1000000");
    }

    @Test
    void serverWarmsUpOnALoopbackServerOfItsOwnBeforeItListens() throws Exception {
        String log = cli.startServerLog("--warmup", "300", "--dh-groups", "2");
        Matcher port = LISTENING.matcher(log);
        Matcher admin = Pattern.compile("admin (http://127\\.0\\.0\\.1:\\d+)/status").matcher(log);
        assertThat(port.find()).isTrue();
        assertThat(admin.find()).isTrue();

        // At least the connects asked for, and more while the JIT compilers are busy with them, up to 4 times as many.
        Matcher warmed = Pattern.compile("warmed up with (\\d+) connects on loopback").matcher(log);
        assertThat(warmed.find()).as(log).isTrue();
        assertThat(Integer.parseInt(warmed.group(1))).isBetween(300, 300 * ServerWarmup.MAX_FACTOR);
        assertThat(log.indexOf("warmed up")).isLessThan(log.indexOf("listening on"));
        // The warm-up's clients went to another server: the real one has seen none of them.
        assertThat(acceptedConnects(admin.group(1))).isZero();
        Result bench = run("bench", "connect", "--server", "rtmfp://127.0.0.1:" + port.group(1) + "/app", "--clients", "3",
                "--introductions", "0", "--hold", "1s");
        assertThat(bench.exit()).as(bench.err()).isZero();
        assertThat(acceptedConnects(admin.group(1))).isEqualTo(3);
    }

    private static int acceptedConnects(String admin) throws Exception {
        java.net.http.HttpResponse<String> status = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(admin + "/status")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(status.body()).path("connects").path("accepted").asInt(-1);
    }

    @Test
    void serverRefusesAnIdentityThatIsNotAServers(@TempDir Path dir) throws Exception {
        Path peer = dir.resolve("peer.identity");
        assertThat(run("keygen", "--flash", "--out", peer.toString()).exit()).isZero();

        Result refused = run("server", "--bind", "127.0.0.1", "--port", "0", "--admin", "off", "--identity",
                peer.toString());
        Result missing = run("server", "--bind", "127.0.0.1", "--port", "0", "--admin", "off", "--identity",
                dir.resolve("nothing").toString());
        Result both = run("server", "--bind", "127.0.0.1", "--port", "0", "--admin", "off", "--identity",
                peer.toString(), "--dh-groups", "2");

        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("rtmfp keygen --server");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("no such file");
        assertThat(both.exit()).isNotZero();
        assertThat(both.err()).contains("--dh-groups and --identity exclude each other");
    }

    @Test
    void keygenFlashPrintsALoadableFlashIdentityAndRefusesToOverwrite(@TempDir Path dir) throws Exception {
        Result keygen = run("keygen", "--flash");
        assertThat(keygen.exit()).as(keygen.err()).isZero();
        PeerIdentity flash = PeerIdentity.load(keygen.out());
        // The Flash Player form: one static group-2 key, a 132-byte certificate (RFC 7425 §4.3).
        assertThat(flash.certificate().encoded()).hasSize(132);

        Path existing = Files.writeString(dir.resolve("taken"), "x");
        Result again = run("keygen", "--out", existing.toString());
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("already exists");
        assertThat(Files.readString(existing)).isEqualTo("x");
    }
}
