package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rtmfp4j.cli.CliProcesses.Result;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code rtmfp} reports misuse and failures, as real processes: one style everywhere. */
class CliErrorsProcessTest {
    private final CliProcesses cli = new CliProcesses();

    @AfterEach
    void stop() throws InterruptedException {
        cli.close();
    }

    /** Misuse of {@code command} ("rtmfp ping"): two lines, what is wrong and where to read more, exit 2. */
    private static void assertMisuse(String command, Result r, String message) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).containsExactly(command + ": " + message,
                "Try '" + command + " --help' for more information.");
    }

    @Test
    void everyMisuseIsTwoLinesAndExitTwo(@TempDir Path dir) throws Exception {
        String absent = dir.resolve("absent").toString();
        assertMisuse("rtmfp ping", cli.run("ping", "http://127.0.0.1/app"),
                "expected an rtmfp:// URI, got: http://127.0.0.1/app");
        assertMisuse("rtmfp chat", cli.run("chat", "--server", "http://127.0.0.1/app", "--name", "alice"),
                "--server: expected an rtmfp:// URI, got: http://127.0.0.1/app");
        assertMisuse("rtmfp bench handshake", cli.run("bench", "handshake", "--server", "http://127.0.0.1"),
                "--server: expected an rtmfp:// URI, got: http://127.0.0.1");
        assertMisuse("rtmfp stream play", cli.run("stream", "play", "--server", "http://x/app", "--from", "cam",
                "--name", "s", "--out", dir.resolve("o.flv").toString()), "--server: expected an rtmfp:// URI, got: http://x/app");
        assertMisuse("rtmfp bench group", cli.run("bench", "group", "--peers", "1"), "--peers must be 2..20000, got 1");
        assertMisuse("rtmfp bench multicast", cli.run("bench", "multicast", "--loss", "0.9"),
                "--loss must be 0..0.5, got 0.9");
        assertMisuse("rtmfp bench swarm", cli.run("bench", "swarm", "--chunk", "3"),
                "--chunk must be a power of two, 1..16384 KiB, got 3");
        assertMisuse("rtmfp bench dht", cli.run("bench", "dht", "--churn", "1"), "--churn must be 0..0.9, got 1.0");
        assertMisuse("rtmfp dht put", cli.run("dht", "put", "k", "--group", "g"), "give either VALUE or --file F");
        assertMisuse("rtmfp dht get", cli.run("dht", "get", "k", "--group", "g", "--writer", "abc"),
                "--writer: a writer is 64 hex digits");
        assertMisuse("rtmfp server", cli.run("server", "--port", "70000"), "--port must be 0..65535, got 70000");
        assertMisuse("rtmfp server", cli.run("server", "--port", "0", "--admin", "off", "--warmup", "-1"),
                "--warmup must be 0..100000, got -1");
        assertMisuse("rtmfp server", cli.run("server", "--port", "0", "--admin", "off", "--echo", "--warmup", "10"),
                "--warmup warms the rendezvous server up; it does not apply to --echo");
        assertMisuse("rtmfp server", cli.run("server", "--port", "0", "--admin", "off", "--auth", "token"),
                "--auth token needs at least one --secret");
        assertMisuse("rtmfp send", cli.run("send", dir.toString(), "--to", "bob"), "cannot read " + dir + ": it is a directory");
        assertMisuse("rtmfp send", cli.run("send", absent, "--to", "bob"), "cannot read " + absent + ": no such file");
        assertMisuse("rtmfp send", cli.run("send", "--to", "bob"), "Missing required parameter: 'FILE'");
        assertMisuse("rtmfp receive", cli.run("receive", "--dir", absent), "--dir " + absent + ": no such directory");
        assertMisuse("rtmfp ping", cli.run("ping", "--identity", absent, "rtmfp://127.0.0.1:1"),
                "cannot read the identity in " + absent + ": no such file or directory");
        assertMisuse("rtmfp stream publish", cli.run("stream", "publish", "--server", "rtmfp://127.0.0.1/app", "--name",
                "s", "--file", dir.toString()), "cannot read --file " + dir + ": it is a directory");
        assertMisuse("rtmfp ingest", cli.run("ingest", "--server", "rtmfp://127.0.0.1/app", "--group", "g", "--name",
                "s", "--rtmp-port", "70000"), "--rtmp-port: 70000 is not a port (0 to 65535)");
        assertMisuse("rtmfp ingest", cli.run("ingest", "--server", "rtmfp://127.0.0.1/app", "--name", "s",
                "--rtmp-port", "1935"), "Error: Missing required argument (specify one of these): (--group=NAME | "
                + "--groupspec=G:...)");
        assertMisuse("rtmfp", cli.run("frobnicate"), "Unmatched argument at index 0: 'frobnicate'");
    }

    @Test
    void aTakenPortIsNamed() throws Exception {
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = udp.getLocalPort();

            Result r = cli.run("server", "--bind", "127.0.0.1", "--port", String.valueOf(port), "--admin", "off");

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err().lines().toList()).containsExactly("rtmfp server: cannot listen on UDP 127.0.0.1:" + port
                    + ": address already in use (another program has the port: choose another with --port)");
        }
        try (java.net.ServerSocket tcp = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = tcp.getLocalPort();

            Result r = cli.run("server", "--bind", "127.0.0.1", "--port", "0", "--admin", "127.0.0.1:" + port);

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err().lines().toList()).containsExactly("rtmfp server: cannot open the admin listener on TCP "
                    + "127.0.0.1:" + port + ": address already in use (choose another with --admin ADDR:PORT, or --admin off)");
        }
    }

    @Test
    void sendGivesUpOnASilentServerAfterItsOwnTimeout(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("x.txt"), "x");
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String url = "rtmfp://127.0.0.1:" + silent.getLocalPort() + "/files";

            Result r = cli.run("send", file.toString(), "--to", "bob", "--server", url, "--timeout", "3s");

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err().lines().toList()).containsExactly("rtmfp send: no answer from " + url + " within 3 s");
        }
    }

    @Test
    void aServerOnAllAddressesTakesIpv4AndIpv6Alike() throws Exception {
        Process server = cli.start("server", "--port", "0", "--admin", "off");
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on \\[/\\[?([0-9a-f:.]+)]?:(\\d+)]");
        Matcher m = null;
        for (String line; m == null && (line = log.readLine()) != null; ) {
            Matcher found = listening.matcher(line);
            m = found.find() ? found : null;
        }
        assertThat(m).as("server announced its address").isNotNull();
        String port = m.group(2);

        for (String host : List.of("127.0.0.1", "[::1]")) {
            Result ping = cli.run("ping", "rtmfp://" + host + ":" + port + "/app");
            assertThat(ping.exit()).as(host + ": " + ping.err()).isZero();
        }
    }

    @Test
    void noWarningAboutHardwareAddressesWhereThereAreNone() throws Exception {
        // A network namespace of its own has only a loopback interface, without a MAC address, as
        // some containers do; the server listens on it once it is up.
        String up = "ip link set lo up && exec \"$0\" \"$@\"";
        assumeTrue(new ProcessBuilder("unshare", "--net", "sh", "-c", up, "true").start().waitFor() == 0,
                "network namespaces (unshare --net, ip) are not available here");
        List<String> cmd = new ArrayList<>(List.of("unshare", "--net", "sh", "-c", up,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Rtmfp.class.getName(), "server", "--bind", "127.0.0.1", "--port",
                "0", "--admin", "off"));
        Process server = cli.start(new ProcessBuilder(cmd));
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line; (line = log.readLine()) != null; ) {
            lines.add(line);
            if (line.contains("listening on")) {
                break;
            }
        }

        assertThat(lines).as("the server started").anyMatch(l -> l.contains("listening on"));
        assertThat(lines).noneMatch(l -> l.contains("WARN"));
    }
}
