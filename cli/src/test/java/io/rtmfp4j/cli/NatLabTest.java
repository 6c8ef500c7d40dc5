package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtmfp4j.cli.NatLab.Answer;
import io.rtmfp4j.cli.NatLab.Host;
import io.rtmfp4j.cli.NatLab.Request;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The NAT lab (docs/nat.md): a server on a public segment and hosts behind Linux NATs of every
 * kind, in network namespaces. It measures which pairs open direct sessions (both directions of
 * initiation), then checks that chat, a file send and a stream get through for every pair,
 * directly or through the server's relay as the matrix says; that a host whose UDP is dropped gets
 * through over the TCP tunnel; and that nat-check tells each NAT for what it is. Needs root, iproute2
 * and nftables (.ci/run installs them); skipped otherwise. The measured matrix is written to
 * target/natlab/direct-matrix.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatLabTest {
    /** The NAT kinds, as natlab.sh names their hosts: r19-h{f,a,p,s}{1,2}. */
    enum Kind {
        FULL("f", "full cone (EIM, EIF)"),
        ADDRESS("a", "address-restricted (EIM, ADF)"),
        PORT("p", "port-restricted (EIM, APDF)"),
        SYMMETRIC("s", "symmetric (EDM, APDF)");

        final String letter;
        final String description;

        Kind(String letter, String description) {
            this.letter = letter;
            this.description = description;
        }
    }

    /** One pair of hosts: the initiator opens the session (calls, sends, plays). */
    record Pair(String label, String initiator, String target, boolean direct) {
    }

    static final Path LOGS = Path.of("target", "natlab");
    NatLab lab;
    final Map<String, Host> hosts = new LinkedHashMap<>();
    List<Pair> pairs;
    Path files;

    /**
     * Whether a direct session should open from a host behind {@code from} to one behind {@code to}
     * (RFC 4787 behaviours): a full-cone NAT takes anything; otherwise an endpoint-dependent mapping
     * (symmetric) answers from a port the other side never sent to, which only address-dependent
     * filtering or none lets in.
     */
    static boolean expectedDirect(Kind from, Kind to) {
        if (from == Kind.FULL || to == Kind.FULL) {
            return true;
        }
        if (from == Kind.SYMMETRIC || to == Kind.SYMMETRIC) {
            Kind other = from == Kind.SYMMETRIC ? to : from;
            return other == Kind.ADDRESS;
        }
        return true;
    }

    @BeforeAll
    void up() throws Exception {
        String why = NatLab.unavailable();
        Assumptions.assumeTrue(why == null, "NAT lab skipped: " + why);
        long start = System.nanoTime();
        lab = NatLab.up(LOGS);
        lab.server();
        List<String> names = new ArrayList<>();
        for (Kind k : Kind.values()) {
            names.add(k.letter + "1");
            names.add(k.letter + "2");
        }
        names.addAll(List.of("l1", "l2", "i1", "i2", "u1"));
        for (String n : names) {
            hosts.put(n, lab.host("r19-h" + n));
        }
        for (Host h : hosts.values()) {
            h.awaitStarted();
        }
        pairs = new ArrayList<>();
        for (Kind from : Kind.values()) {
            for (Kind to : Kind.values()) {
                pairs.add(new Pair(from.name().toLowerCase(Locale.ROOT) + "->" + to.name().toLowerCase(Locale.ROOT),
                        from.letter + "1", to.letter + "2", expectedDirect(from, to)));
            }
        }
        // One LAN behind one NAT: the peers meet at their private addresses.
        pairs.add(new Pair("same-lan l1->l2", "l1", "l2", true));
        pairs.add(new Pair("same-lan l2->l1", "l2", "l1", true));
        // Isolated LANs behind one NAT without hairpinning: no way but the relay.
        pairs.add(new Pair("same-nat-isolated i1->i2", "i1", "i2", false));
        pairs.add(new Pair("same-nat-isolated i2->i1", "i2", "i1", false));
        // Fresh every run: a receiver that found last run's file would resume it at its end and send nothing.
        deleteTree(LOGS.resolve("files"));
        files = Files.createDirectories(LOGS.resolve("files")).toAbsolutePath();
        byte[] data = new byte[256 * 1024];
        new Random(19).nextBytes(data);
        Files.write(files.resolve("payload.bin"), data);
        try (InputStream in = NatLabTest.class.getResourceAsStream("/io/rtmfp4j/flash/flv/testsrc.flv")) {
            Files.copy(in, files.resolve("in.flv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.printf(Locale.ROOT, "NAT lab up, %d agents started, in %.1f s%n", hosts.size(),
                (System.nanoTime() - start) / 1e9);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @AfterAll
    void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void directSessionsOpenExactlyWhereTheNatsAllow() throws Exception {
        Map<Pair, Request> dials = new LinkedHashMap<>();
        int k = 0;
        for (Pair p : pairs) {
            String name = "d" + k++;
            Request listening = hosts.get(p.target()).ask("listen", name);
            assertThat(listening.awaitReady()).as(p.label()).hasSize(64);
            dials.put(p, hosts.get(p.initiator()).ask("dial", name, "8000"));
        }
        Map<Pair, Answer> measured = new LinkedHashMap<>();
        for (Map.Entry<Pair, Request> e : dials.entrySet()) {
            measured.put(e.getKey(), e.getValue().await());
        }
        writeMatrix(measured);
        for (Map.Entry<Pair, Answer> e : measured.entrySet()) {
            assertThat(e.getValue().ok()).as(e.getKey().label() + ": " + e.getValue().text())
                    .isEqualTo(e.getKey().direct());
        }
    }

    @Test
    void chatReachesEveryPairDirectlyOrThroughTheRelay() throws Exception {
        Map<Pair, Request[]> chats = new LinkedHashMap<>();
        int k = 0;
        for (Pair p : pairs) {
            String waiter = "w" + k;
            String caller = "c" + k++;
            Request waiting = hosts.get(p.target()).ask("chat-wait", waiter);
            assertThat(waiting.awaitReady()).as(p.label()).isEqualTo(waiter);
            chats.put(p, new Request[] {waiting, hosts.get(p.initiator()).ask("chat-call", caller, waiter)});
        }
        for (Map.Entry<Pair, Request[]> e : chats.entrySet()) {
            Pair p = e.getKey();
            Answer waiter = e.getValue()[0].await();
            Answer caller = e.getValue()[1].await();
            assertThat(caller.ok()).as(p.label() + " caller: " + caller.text()).isTrue();
            assertThat(waiter.ok()).as(p.label() + " waiter: " + waiter.text()).isTrue();
            assertThat(caller.text()).as(p.label()).startsWith("relayed=" + !p.direct());
            assertThat(waiter.text()).as(p.label()).startsWith("relayed=" + !p.direct());
        }
    }

    @Test
    void aFileReachesEveryPairDirectlyOrThroughTheRelay() throws Exception {
        Map<Pair, Request[]> sends = new LinkedHashMap<>();
        int k = 0;
        for (Pair p : pairs) {
            String name = "r" + k++;
            Path dir = Files.createDirectories(files.resolve(name));
            Request receiving = hosts.get(p.target()).ask("cli", "receive", "--server", NatLab.URL, "--name", name,
                    "--dir", dir.toString(), "--once", "--json");
            assertThat(receiving.awaitReady()).as(p.label()).contains("\"event\":\"ready\"");
            sends.put(p, new Request[] {receiving, hosts.get(p.initiator()).ask("cli", "send",
                    files.resolve("payload.bin").toString(), "--to", name, "--server", NatLab.URL, "--json")});
        }
        for (Map.Entry<Pair, Request[]> e : sends.entrySet()) {
            Pair p = e.getKey();
            Answer sent = e.getValue()[1].await();
            Answer received = e.getValue()[0].await();
            assertThat(sent.ok()).as(p.label() + " sender: " + sent.text()).isTrue();
            assertThat(received.ok()).as(p.label() + " receiver: " + received.text()).isTrue();
            assertThat(sent.text()).as(p.label()).contains("\"relayed\":" + !p.direct());
            assertThat(received.text()).as(p.label()).contains("\"relayed\":" + !p.direct())
                    .contains("\"event\":\"received\"");
        }
    }

    @Test
    void aStreamPlaysForEveryPairDirectlyOrThroughTheRelay() throws Exception {
        Map<Pair, Request[]> streams = new LinkedHashMap<>();
        int k = 0;
        for (Pair p : pairs) {
            String name = "p" + k++;
            Request publishing = hosts.get(p.target()).ask("cli", "stream", "publish", "--server", NatLab.URL,
                    "--nickname", name, "--name", "live", "--file", files.resolve("in.flv").toString());
            assertThat(publishing.awaitReady()).as(p.label()).startsWith("publishing 'live'");
            streams.put(p, new Request[] {publishing, hosts.get(p.initiator()).ask("cli", "stream", "play", "--server",
                    NatLab.URL, "--from", name, "--name", "live", "--out", files.resolve(name + ".flv").toString())});
        }
        Pattern recorded = Pattern.compile("recorded (\\d+) tags");
        for (Map.Entry<Pair, Request[]> e : streams.entrySet()) {
            Pair p = e.getKey();
            Answer played = e.getValue()[1].await();
            Answer published = e.getValue()[0].await();
            assertThat(played.ok()).as(p.label() + " player: " + played.text()).isTrue();
            assertThat(published.ok()).as(p.label() + " publisher: " + published.text()).isTrue();
            Matcher m = recorded.matcher(played.text());
            assertThat(m.find()).as(p.label() + ": " + played.text()).isTrue();
            assertThat(Integer.parseInt(m.group(1))).as(p.label()).isGreaterThan(100);
            String via = "(relayed through the server)";
            assertThat(played.text().contains(via)).as(p.label() + ": " + played.text()).isEqualTo(!p.direct());
            assertThat(published.text().contains(via)).as(p.label() + ": " + published.text()).isEqualTo(!p.direct());
        }
    }

    @Test
    void aHostWithoutUdpChatsSendsAndStreamsOverTheTcpTunnel() throws Exception {
        Host u = hosts.get("u1");
        Request waiting = hosts.get("f2").ask("chat-wait", "tcp-w");
        assertThat(waiting.awaitReady()).isEqualTo("tcp-w");
        Request call = u.ask("chat-call", "tcp-c", "tcp-w");
        Path dir = Files.createDirectories(files.resolve("tcp-r"));
        Request receiving = u.ask("cli", "receive", "--server", NatLab.URL, "--name", "tcp-r", "--dir", dir.toString(),
                "--once", "--json");
        assertThat(receiving.awaitReady()).contains("\"event\":\"ready\"");
        Request send = hosts.get("s2").ask("cli", "send", files.resolve("payload.bin").toString(), "--to", "tcp-r",
                "--server", NatLab.URL, "--json");
        Request publishing = hosts.get("p2").ask("cli", "stream", "publish", "--server", NatLab.URL, "--nickname",
                "tcp-p", "--name", "live", "--file", files.resolve("in.flv").toString());
        assertThat(publishing.awaitReady()).startsWith("publishing 'live'");
        Request play = u.ask("cli", "stream", "play", "--server", NatLab.URL, "--from", "tcp-p", "--name", "live",
                "--out", files.resolve("tcp.flv").toString());

        Answer called = call.await();
        assertThat(called.ok()).as(called.text()).isTrue();
        assertThat(called.text()).startsWith("relayed=true").contains("(over TCP");
        assertThat(waiting.await().ok()).isTrue();
        Answer sent = send.await();
        assertThat(sent.ok()).as(sent.text()).isTrue();
        assertThat(sent.text()).contains("\"relayed\":true");
        Answer received = receiving.await();
        assertThat(received.ok()).as(received.text()).isTrue();
        Answer played = play.await();
        assertThat(played.ok()).as(played.text()).isTrue();
        assertThat(played.text()).contains("(relayed through the server)").containsPattern("recorded \\d{3} tags");
        assertThat(publishing.await().ok()).isTrue();
    }

    @Test
    void natCheckTellsEachNatForWhatItIs() throws Exception {
        Map<String, Request> checks = new LinkedHashMap<>();
        for (String h : List.of("f1", "a1", "p1", "s1", "l1", "u1")) {
            // The host without UDP waits that long for UDP before it tries TCP: not the whole minute.
            checks.put(h, hosts.get(h).ask("cli", "nat-check", "--server", NatLab.URL, "--json",
                    "--timeout", h.equals("u1") ? "20s" : "60s"));
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> reports = new LinkedHashMap<>();
        for (Map.Entry<String, Request> e : checks.entrySet()) {
            Answer a = e.getValue().await();
            assertThat(a.ok()).as(e.getKey() + ": " + a.text()).isTrue();
            String text = a.text();
            reports.put(e.getKey(), json.readTree(text.substring(text.indexOf('{'), text.lastIndexOf('}') + 1)));
        }
        Files.writeString(LOGS.resolve("nat-check.json"), json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(reports));
        assertNat(reports.get("f1"), "endpoint-independent", "endpoint-independent", "any peer");
        assertNat(reports.get("a1"), "endpoint-independent", "address-dependent", "any peer");
        assertNat(reports.get("p1"), "endpoint-independent", "address-and-port-dependent", "most peers");
        assertNat(reports.get("s1"), "endpoint-dependent", "address-and-port-dependent", "few peers");
        assertNat(reports.get("l1"), "endpoint-independent", "address-and-port-dependent", "most peers");
        for (String h : List.of("f1", "a1", "p1", "s1", "l1")) {
            assertThat(reports.get(h).get("nat").asBoolean()).as(h).isTrue();
            assertThat(reports.get(h).get("hairpinning").asBoolean()).as(h + " hairpinning").isFalse();
        }
        JsonNode blocked = reports.get("u1");
        assertThat(blocked.get("udp").asBoolean()).isFalse();
        assertThat(blocked.get("tcp").asBoolean()).isTrue();
        assertThat(blocked.get("p2p").asText()).isEqualTo("relay only");
    }

    private static void assertNat(JsonNode report, String mapping, String filtering, String p2p) {
        assertThat(report.get("udp").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("mapping").asText()).as(report.toString()).isEqualTo(mapping);
        assertThat(report.get("filtering").asText()).as(report.toString()).isEqualTo(filtering);
        assertThat(report.get("p2p").asText()).as(report.toString()).isEqualTo(p2p);
    }

    /** The measured matrix as a Markdown table (rows: initiator's NAT; columns: target's), for docs/nat.md. */
    private void writeMatrix(Map<Pair, Answer> measured) throws Exception {
        StringBuilder b = new StringBuilder("| initiator \\ target |");
        for (Kind to : Kind.values()) {
            b.append(' ').append(to.description).append(" |");
        }
        b.append("\n|---|").append("---|".repeat(Kind.values().length)).append('\n');
        for (Kind from : Kind.values()) {
            b.append("| ").append(from.description).append(" |");
            for (Kind to : Kind.values()) {
                String label = from.name().toLowerCase(Locale.ROOT) + "->" + to.name().toLowerCase(Locale.ROOT);
                b.append(' ').append(cell(measured, label)).append(" |");
            }
            b.append('\n');
        }
        b.append('\n');
        for (Map.Entry<Pair, Answer> e : measured.entrySet()) {
            if (e.getKey().label().startsWith("same-")) {
                b.append("- ").append(e.getKey().label()).append(": ").append(cell(measured, e.getKey().label()))
                        .append('\n');
            }
        }
        Files.writeString(LOGS.resolve("direct-matrix.md"), b.toString());
        System.out.print(b);
    }

    private static String cell(Map<Pair, Answer> measured, String label) {
        for (Map.Entry<Pair, Answer> e : measured.entrySet()) {
            if (e.getKey().label().equals(label)) {
                Answer a = e.getValue();
                return a.ok() ? "direct (" + a.text().replace("ms=", "") + " ms)" : "no";
            }
        }
        return "?";
    }
}
