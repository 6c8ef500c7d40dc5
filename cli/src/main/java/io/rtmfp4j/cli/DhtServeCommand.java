package io.rtmfp4j.cli;

import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.store.GroupStore;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rtmfp dht serve}: a member of the store that keeps entries until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Joins the store's group and keeps the entries whose keys this member is among the 3 nearest "
                + "to, passing them on as members come and go. Tells now and then how many it holds.",
                "Runs until stopped. Exits 1 when the server cannot be reached or is lost, 2 on misuse, 130 when "
                        + "stopped with Ctrl-C."})
final class DhtServeCommand implements Callable<Integer> {
    /** How often, at most, the entries held are told. */
    static final long REPORT_SECONDS = 5;

    @Spec
    CommandSpec spec;

    @Mixin
    PeerOptions peer;

    @Mixin
    DhtOptions dht;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        var key = dht.writer();
        try (NetConnection nc = peer.connect(null, PeerOptions.CONNECT_TIMEOUT);
                PeerOptions.Stop stop = PeerOptions.closeOnExit(nc)) {
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            stop.requested().thenRun(() -> exit.complete(SendCommand.EXIT_STOPPED));
            NetGroup g = dht.join(nc, stop, exit, err);
            try (GroupStore store = GroupStore.open(g, nc, key, GroupStore.Settings.DEFAULT)) {
                if (peer.json) {
                    out.println(String.format(Locale.ROOT, "{\"event\":\"ready\",\"peerId\":\"%s\",\"address\":\"%s\"}",
                            nc.nearId(), store.address().hex()));
                    out.flush();
                } else {
                    err.println("serving store '" + TerminalText.clean(dht.group) + "' as peer " + nc.nearId());
                    err.flush();
                }
                long told = -1;
                while (true) {
                    try {
                        return exit.get(REPORT_SECONDS, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        int held = store.heldCount();
                        if (held != told) {
                            told = held;
                            if (peer.json) {
                                out.println(String.format(Locale.ROOT, "{\"event\":\"holding\",\"entries\":%d,"
                                        + "\"neighbors\":%d}", held, g.neighborCount()));
                                out.flush();
                            } else {
                                err.println("holding " + held + " entries, " + g.neighborCount() + " neighbors");
                                err.flush();
                            }
                        }
                    }
                }
            } finally {
                g.close();
            }
        }
    }
}
