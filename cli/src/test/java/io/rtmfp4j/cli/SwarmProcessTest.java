package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtmfp swarm share} and three {@code rtmfp swarm get}, each its own process, through {@code rtmfp server}. */
class SwarmProcessTest {
    /** A bound for what a loaded two-core machine takes, not a timing: five JVMs start, join and trade. */
    static final Duration WAIT = Duration.ofSeconds(180);
    static final Pattern SWARM_ID = Pattern.compile("^swarm ID ([0-9a-f]{64})$");
    static final Pattern RESUMED = Pattern.compile("\"resumedAt\":(\\d+)");
    static final int CHUNK = 64 << 10;

    final CliProcesses cli = new CliProcesses();
    @TempDir
    Path tmp;

    @AfterEach
    void stop() throws InterruptedException {
        cli.close();
    }

    @Test
    void threeMembersGetTheSharedFileIdenticalOneResumingFromADamagedPart() throws Exception {
        byte[] content = new byte[6 << 20];
        new Random(16).nextBytes(content);
        Path file = Files.write(tmp.resolve("shared.bin"), content);
        String url = "rtmfp://127.0.0.1:" + cli.startServer() + "/swarm";

        // The connect timeouts too are bounds for a loaded machine: a handshake may wait for a busy CPU.
        Process share = cli.start("swarm", "share", file.toString(), "--server", url, "--group", "files",
                "--connect-timeout", "120s");
        String id = Lines.of(share.getInputStream()).group(SWARM_ID, WAIT);
        Lines.of(share.getErrorStream()).await("sharing " + file, WAIT);

        // An earlier download of the third member stopped after the first 48 chunks, one of them damaged since.
        byte[] part = Arrays.copyOf(content, 48 * CHUNK);
        part[CHUNK + 100] ^= 1;
        Files.write(tmp.resolve("got2.bin.part"), part);

        List<Process> gets = new ArrayList<>();
        List<Lines> outs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Process get = cli.start("swarm", "get", id, "--server", url, "--group", "files",
                    "--out", tmp.resolve("got" + i + ".bin").toString(), "--json", "--connect-timeout", "120s");
            gets.add(get);
            outs.add(Lines.of(get.getInputStream()));
        }
        for (int i = 0; i < 3; i++) {
            String complete = outs.get(i).await("\"event\":\"complete\"", WAIT);
            assertThat(gets.get(i).waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(gets.get(i).exitValue()).as(complete).isZero();
            assertThat(Files.readAllBytes(tmp.resolve("got" + i + ".bin"))).isEqualTo(content);
            assertThat(tmp.resolve("got" + i + ".bin.part")).doesNotExist();
            var resumed = RESUMED.matcher(complete);
            assertThat(resumed.find()).isTrue();
            // The damaged chunk was fetched again, the 47 intact ones kept.
            assertThat(Long.parseLong(resumed.group(1))).isEqualTo(i == 2 ? 47L * CHUNK : 0);
        }
        assertThat(outs.get(0).all()).anyMatch(l -> l.contains("\"event\":\"manifest\",\"size\":" + content.length));
        assertThat(share.isAlive()).isTrue();
    }
}
