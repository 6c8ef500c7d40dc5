package io.rtmfp4j.cli;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.store.GroupStore;
import io.rtmfp4j.flash.store.StoreEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rtmfp dht put}: writes an entry. */
@Command(name = "put", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Writes VALUE (or the content of --file) under KEY, signed with the writer's key, as a new "
                + "version of that writer's entry; prints 'stored KEY version V (N hops)'.",
                "Exits 1 when the server or the store's members cannot be reached or the entry was refused (the key "
                        + "belongs to another writer, the member is full), 2 on misuse."})
final class DhtPutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PeerOptions peer;

    @Mixin
    DhtOptions dht;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key: 1 to 256 bytes of UTF-8.")
    String key;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "The value, as UTF-8 text.")
    String text;

    @Option(names = "--file", paramLabel = "F", description = "Take the value from file F (at most 32 KiB).")
    Path file;

    @Override
    public Integer call() throws Exception {
        String k = dht.key(key);
        Misuse.check(spec, text == null ^ file == null, "give either VALUE or --file F");
        byte[] bytes;
        if (file != null) {
            String unreadable = ErrorText.unreadable(file);
            if (unreadable != null) {
                throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + unreadable);
            }
            Misuse.check(spec, Files.size(file) <= StoreEntry.MAX_VALUE, "--file: a value is at most "
                    + StoreEntry.MAX_VALUE + " bytes, " + file + " has " + Files.size(file));
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new CommandFailure("cannot read " + file + ": " + ErrorText.of(e));
            }
        } else {
            bytes = text.getBytes(StandardCharsets.UTF_8);
        }
        Misuse.check(spec, bytes.length <= StoreEntry.MAX_VALUE, "VALUE: at most " + StoreEntry.MAX_VALUE
                + " bytes, got " + bytes.length);
        return dht.request(peer, true, store -> report(spec.commandLine().getOut(), peer.json, store, k,
                store.put(k, bytes).get(), "stored"));
    }

    /** Prints what became of a write; a failure unless it was kept. */
    static int report(PrintWriter out, boolean json, GroupStore store, String key, GroupStore.PutResult r,
            String verb) throws CommandFailure {
        if (!r.stored()) {
            throw new CommandFailure("the member nearest '" + TerminalText.clean(key) + "' refused the entry: "
                    + switch (r.outcome()) {
                        case OTHER_WRITER -> "the key belongs to another writer";
                        case FULL -> "it holds as many entries as it may";
                        case STALE -> "it holds a newer version";
                        default -> "its signature does not check out";
                    });
        }
        if (json) {
            out.println(String.format(Locale.ROOT, "{\"event\":\"%s\",\"key\":\"%s\",\"version\":%d,\"hops\":%d,"
                    + "\"writer\":\"%s\"}", verb, Json.escape(key), r.version(), r.hops(), Hex.encode(store.writer())));
        } else {
            out.println(verb + " " + TerminalText.clean(key) + " version " + r.version() + " (" + r.hops() + " hops)");
        }
        out.flush();
        return 0;
    }
}
