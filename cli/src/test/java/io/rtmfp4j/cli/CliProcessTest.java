package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtmfp4j.core.crypto.PeerIdentity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtmfp ping} against {@code rtmfp server}, both as real processes on loopback. */
class CliProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)]");
    private static final Pattern SERVER_ID = Pattern.compile("server peer ID ([0-9a-f]{64})");
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Rtmfp.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        processes.add(p);
        return p;
    }

    private record Result(int exit, String out, String err) {
    }

    private Result run(String... args) throws Exception {
        Process p = start(args);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("process finished").isTrue();
        return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
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
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
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
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
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

    /** Starts {@code rtmfp server} with the extra arguments and returns its UDP port once it listens. */
    private String startServer(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("server", "--bind", "127.0.0.1", "--port", "0", "--admin", "127.0.0.1:0"));
        args.addAll(List.of(extra));
        Process server = start(args.toArray(String[]::new));
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
        String port = null;
        for (String line; port == null && (line = log.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                port = m.group(1);
            }
        }
        assertThat(port).as("server announced its port").isNotNull();
        // Keep draining its log so it never blocks on a full pipe.
        CompletableFuture.runAsync(() -> log.lines().forEach(l -> { }));
        return port;
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

        Result ping = run("ping", "--echo", "3", "--size", "100", "--timeout", "5s", "rtmfp://127.0.0.1:" + port);

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
    void benchConnectSpreadOverTwoDriverProcessesSumsTheirClients() throws Exception {
        String port = startServer();

        Result bench = run("bench", "connect", "--server", "rtmfp://127.0.0.1:" + port + "/app", "--clients", "11",
                "--drivers", "2", "--concurrency", "4", "--introductions", "3", "--hold", "1s");

        assertThat(bench.exit()).as(bench.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(bench.out());
        assertThat(json.path("drivers").asInt()).isEqualTo(2);
        assertThat(json.path("connected").asInt()).isEqualTo(11);
        assertThat(json.path("held").asInt()).isEqualTo(11);
        assertThat(json.path("failed").asInt()).isZero();
        assertThat(json.path("connectsPerSecond").asDouble()).isPositive();
        assertThat(json.path("introductions").asInt()).isEqualTo(3);
        assertThat(json.path("serverHeapPerSessionBytes").isNumber()).isTrue();
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

    @Test
    void serverMisconfigurationIsReportedClearly(@TempDir Path dir) throws Exception {
        Result keys = run("server", "--port", "0", "--admin", "off", "--auth", "keys");
        assertThat(keys.exit()).isEqualTo(1);
        assertThat(keys.err()).contains("--auth keys needs --keys-file FILE");

        Path config = Files.writeString(dir.resolve("server.properties"), "max-sesions=10\n");
        Result typo = run("server", "--config", config.toString());
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown setting 'max-sesions'");

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
