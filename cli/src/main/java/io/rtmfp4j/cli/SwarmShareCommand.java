package io.rtmfp4j.cli;

import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.swarm.Swarm;
import io.rtmfp4j.flash.swarm.SwarmFile;
import io.rtmfp4j.flash.swarm.SwarmManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rtmfp swarm share}: offers a file to the members of a group until stopped. */
@Command(name = "share", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Hashes FILE in chunks, prints 'swarm ID <64 hex digits>' (the SHA-256 of its manifest) and "
                + "serves the file to the members of the group that fetch it with 'rtmfp swarm get ID'. Each "
                + "downloader serves the chunks it has to the others, so the file spreads from all of them.",
                "Runs until stopped. Exits 1 when the server cannot be reached or is lost, 2 on misuse, 130 when "
                        + "stopped with Ctrl-C."})
final class SwarmShareCommand implements Callable<Integer> {
    /** How often, at most, the bytes served are told. */
    static final long REPORT_SECONDS = 5;

    @Spec
    CommandSpec spec;

    @Mixin
    PeerOptions peer;

    @Mixin
    SwarmOptions swarm;

    @Parameters(paramLabel = "FILE", description = "The file to share.")
    Path file;

    @Override
    public Integer call() throws Exception {
        String unreadable = ErrorText.unreadable(file);
        if (unreadable != null) {
            throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + unreadable);
        }
        SwarmManifest manifest;
        try {
            manifest = SwarmManifest.of(file);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "cannot share " + file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new CommandFailure("cannot read " + file + ": " + ErrorText.of(e));
        }
        String id = manifest.id();
        String groupspec = swarm.groupspec(id);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (peer.json) {
            out.println(String.format(Locale.ROOT, "{\"event\":\"shared\",\"swarmId\":\"%s\",\"path\":\"%s\",\"size\":%d,"
                            + "\"chunkSize\":%d,\"chunks\":%d}", id, Json.escape(file.toAbsolutePath().toString()),
                    manifest.size(), manifest.chunkSize(), manifest.chunkCount()));
        } else {
            out.println("swarm ID " + id);
        }
        out.flush();
        try (NetConnection nc = peer.connect(null, PeerOptions.CONNECT_TIMEOUT);
                PeerOptions.Stop stop = PeerOptions.closeOnExit(nc)) {
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            stop.requested().thenRun(() -> exit.complete(SendCommand.EXIT_STOPPED));
            NetGroup group = swarm.join(nc, id, stop, exit, err);
            try (Swarm s = Swarm.share(group, manifest, SwarmFile.shared(file, manifest), null)) {
                if (peer.json) {
                    out.println(String.format(Locale.ROOT, "{\"event\":\"ready\",\"swarmId\":\"%s\",\"peerId\":\"%s\"}",
                            id, nc.nearId()));
                    out.flush();
                } else {
                    err.println("sharing " + file + " (" + manifest.size() + " bytes, " + manifest.chunkCount()
                            + " chunks) as peer " + nc.nearId() + "; fetch it with: rtmfp swarm get " + id + " --server "
                            + peer.server + " --group " + swarm.group + " --out FILE");
                    err.flush();
                }
                return serve(s, exit, out, err);
            } finally {
                group.close();
            }
        } catch (IOException e) {
            throw new CommandFailure("cannot share " + file + ": " + ErrorText.of(e));
        }
    }

    /** Tells now and then what was served, until the exit is decided. */
    private int serve(Swarm s, CompletableFuture<Integer> exit, PrintWriter out, PrintWriter err) throws Exception {
        long told = 0;
        while (true) {
            try {
                return exit.get(REPORT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                var p = s.progress();
                if (p.servedBytes() != told) {
                    told = p.servedBytes();
                    if (peer.json) {
                        out.println(String.format(Locale.ROOT, "{\"event\":\"serving\",\"servedBytes\":%d,\"peers\":%d}",
                                told, p.neighbors()));
                        out.flush();
                    } else {
                        err.println(String.format(Locale.ROOT, "served %s to %d peers", TransferDisplay.megabytes(told),
                                p.neighbors()));
                        err.flush();
                    }
                }
            }
        }
    }
}
