package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two {@code rtmfp dht serve}, then {@code put} and {@code get} from other processes, through {@code rtmfp server}. */
class DhtProcessTest {
    /** A bound for what a loaded two-core machine takes, not a timing: JVMs start, join and meet. */
    static final Duration WAIT = Duration.ofSeconds(180);

    final CliProcesses cli = new CliProcesses();
    @TempDir
    Path tmp;

    @AfterEach
    void stop() throws InterruptedException {
        cli.close();
    }

    private String[] args(String url, String writer, String... command) {
        String[] base = {"--server", url, "--group", "store", "--writer-key", tmp.resolve(writer).toString(),
            "--connect-timeout", "120s", "--join-timeout", "120s"};
        String[] all = new String[1 + command.length + base.length];
        all[0] = "dht";
        System.arraycopy(command, 0, all, 1, command.length);
        System.arraycopy(base, 0, all, 1 + command.length, base.length);
        return all;
    }

    @Test
    void anEntryPutByOneProcessIsFoundByAnotherAndOnlyItsWriterMayChangeOrRemoveIt() throws Exception {
        String url = "rtmfp://127.0.0.1:" + cli.startServer() + "/dht";
        for (int i = 0; i < 2; i++) {
            Lines.of(cli.start(args(url, "serve" + i + ".key", "serve", "--json")).getInputStream())
                    .await("\"event\":\"ready\"", WAIT);
        }

        CliProcesses.Result put = cli.run(args(url, "alice.key", "put", "greeting", "hello, group"));
        assertThat(put.exit()).as(put.err()).isZero();
        assertThat(put.out()).startsWith("stored greeting version ");

        CliProcesses.Result get = cli.run(args(url, "bob.key", "get", "greeting"));
        assertThat(get.exit()).as(get.err()).isZero();
        assertThat(get.out()).isEqualTo("hello, group");
        assertThat(get.err()).contains("found greeting version");

        // Bob cannot overwrite Alice's entry; a key nobody wrote is not found (exit 3).
        CliProcesses.Result forged = cli.run(args(url, "bob.key", "put", "greeting", "bob was here"));
        assertThat(forged.exit()).as(forged.out()).isEqualTo(1);
        assertThat(forged.err()).contains("the key belongs to another writer");
        CliProcesses.Result missing = cli.run(args(url, "bob.key", "get", "nobody wrote this"));
        assertThat(missing.exit()).as(missing.out()).isEqualTo(DhtCommand.EXIT_NOT_FOUND);
        assertThat(missing.err()).contains("nobody wrote this: not found");

        // Alice removes hers: a lookup then finds the removal, and exits 3 too.
        CliProcesses.Result removed = cli.run(args(url, "alice.key", "remove", "greeting"));
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(removed.out()).startsWith("removed greeting version ");
        CliProcesses.Result gone = cli.run(args(url, "bob.key", "get", "greeting"));
        assertThat(gone.exit()).as(gone.out()).isEqualTo(DhtCommand.EXIT_NOT_FOUND);
        assertThat(gone.err()).contains("greeting: removed by its writer");
    }
}
