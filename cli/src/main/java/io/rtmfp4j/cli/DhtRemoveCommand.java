package io.rtmfp4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rtmfp dht remove}: removes the writer's entry. */
@Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Removes the writer's entry under KEY: writes a signed newer version that says it is gone, "
                + "so that lookups find nothing. Prints 'removed KEY version V (N hops)'.",
                "Exits 1 when the server or the store's members cannot be reached or the removal was refused (the "
                        + "key belongs to another writer), 2 on misuse."})
final class DhtRemoveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PeerOptions peer;

    @Mixin
    DhtOptions dht;

    @Parameters(paramLabel = "KEY", description = "The key: 1 to 256 bytes of UTF-8.")
    String key;

    @Override
    public Integer call() throws Exception {
        String k = dht.key(key);
        return dht.request(peer, true, store -> DhtPutCommand.report(spec.commandLine().getOut(), peer.json, store, k,
                store.remove(k).get(), "removed"));
    }
}
