package io.rtmfp4j.cli;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.store.GroupStore;
import io.rtmfp4j.flash.store.WriterKey;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rtmfp dht get}: looks a key up. */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Looks KEY up and writes its value to stdout as it is (with --json: a line with the value in "
                + "base64, the writer, the version and the hops); on stderr, the writer and the hops.",
                "Exits 3 when no member nearest the key holds an entry for it (or its writer removed it), 1 when the "
                        + "server or the store's members cannot be reached, 2 on misuse."})
final class DhtGetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PeerOptions peer;

    @Mixin
    DhtOptions dht;

    @Parameters(paramLabel = "KEY", description = "The key: 1 to 256 bytes of UTF-8.")
    String key;

    @Option(names = "--writer", paramLabel = "HEX",
            description = "Take only the entry of this writer (its public key, 64 hex digits, as 'put --json' prints "
                    + "it), so that no other writer's entry for the key can stand for it.")
    String writer;

    @Override
    public Integer call() throws Exception {
        String k = dht.key(key);
        Misuse.check(spec, writer == null || writer.matches("[0-9a-fA-F]{" + 2 * WriterKey.PUBLIC_LENGTH + "}"),
                "--writer: a writer is 64 hex digits");
        byte[] pin = writer == null ? null : Hex.decode(writer);
        return dht.request(peer, false, store -> print(store.get(k, pin).get(), k));
    }

    private int print(GroupStore.GetResult r, String k) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!r.found()) {
            err.println("rtmfp dht get: " + TerminalText.clean(k) + ": " + (r.entry() == null ? "not found"
                    : "removed by its writer") + " (" + r.hops() + " hops)");
            err.flush();
            return DhtCommand.EXIT_NOT_FOUND;
        }
        if (peer.json) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(String.format(Locale.ROOT, "{\"event\":\"found\",\"key\":\"%s\",\"value\":\"%s\",\"version\":%d,"
                    + "\"hops\":%d,\"writer\":\"%s\"}", Json.escape(k), Base64.getEncoder().encodeToString(r.value()),
                    r.entry().version(), r.hops(), r.entry().writerHex()));
            out.flush();
        } else {
            PrintStream raw = System.out;
            raw.write(r.value());
            raw.flush();
            err.println("found " + TerminalText.clean(k) + " version " + r.entry().version() + " by writer "
                    + r.entry().writerHex() + " (" + r.hops() + " hops)");
            err.flush();
        }
        return 0;
    }
}
