package io.rtmfp4j.cli;

import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.swarm.Swarm;
import io.rtmfp4j.flash.swarm.SwarmFile;
import io.rtmfp4j.flash.swarm.SwarmManifest;
import io.rtmfp4j.flash.swarm.SwarmProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rtmfp swarm get}: fetches a shared file from every member of the group that has chunks of it. */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Fetches the file of swarm ID from the members of the group: first the manifest, checked "
                + "against the ID, then every chunk, rarest first, from every member that has it. Each chunk's "
                + "SHA-256 is checked before it is written to FILE.part; a member that sends a wrong chunk is asked "
                + "for nothing more. Chunks are served to the others as soon as they are checked. FILE.part "
                + "becomes FILE once every chunk is there; run the same command again after an interruption and "
                + "the chunks already in FILE.part are kept.",
                "Exits 0 once FILE is complete (with --seed: keeps serving it until stopped), 1 when the server "
                        + "cannot be reached or is lost or FILE cannot be written, 2 on misuse, 130 when stopped "
                        + "with Ctrl-C (run it again to resume)."})
final class SwarmGetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PeerOptions peer;

    @Mixin
    SwarmOptions swarm;

    @Parameters(paramLabel = "ID", description = "The swarm ID 'rtmfp swarm share' printed: 64 hex digits.")
    String id;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Where the file goes; FILE.part holds it meanwhile. An existing FILE is kept if it is "
                    + "this very file, and never overwritten otherwise.")
    Path out;

    @Option(names = "--seed", description = "Once the file is complete, keep serving it until stopped.")
    boolean seed;

    @Override
    public Integer call() throws Exception {
        if (!id.matches("[0-9a-fA-F]{64}")) {
            throw new ParameterException(spec.commandLine(), "ID: a swarm ID is 64 hex digits, got '"
                    + TerminalText.clean(id) + "'");
        }
        Path dir = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + ": cannot write into " + dir);
        }
        if (Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + ": it is a directory");
        }
        String swarmId = id.toLowerCase(Locale.ROOT);
        swarm.groupspec(swarmId);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SwarmDisplay display = new SwarmDisplay(TransferDisplay.choose(peer.json), stdout, err);
        try (NetConnection nc = peer.connect(null, PeerOptions.CONNECT_TIMEOUT);
                PeerOptions.Stop stop = PeerOptions.closeOnExit(nc)) {
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            stop.requested().thenRun(() -> exit.complete(SendCommand.EXIT_STOPPED));
            NetGroup group = swarm.join(nc, swarmId, stop, exit, err);
            try (Swarm s = Swarm.fetch(group, swarmId, m -> SwarmFile.download(out, m), new Events(display, stdout, err))) {
                event(stdout, err, String.format(Locale.ROOT, "{\"event\":\"ready\",\"swarmId\":\"%s\",\"peerId\":\"%s\"}",
                        swarmId, nc.nearId()), "fetching swarm " + swarmId + " as peer " + nc.nearId() + " into " + out);
                int code = fetch(s, display, exit);
                if (code == SendCommand.EXIT_STOPPED) {
                    display.finish();
                    throw stop.stopped(err, "swarm get", "run it again to resume from " + out + SwarmFile.PART_SUFFIX);
                }
                if (code != 0) {
                    return code;
                }
                SwarmProgress p = s.progress();
                display.progress(p);
                display.finish();
                event(stdout, err, String.format(Locale.ROOT, "{\"event\":\"complete\",\"swarmId\":\"%s\",\"path\":\"%s\","
                                + "\"size\":%d,\"resumedAt\":%d,\"corrupt\":%d,\"avoided\":%d,\"seconds\":%.3f}", swarmId,
                        Json.escape(out.toAbsolutePath().toString()), p.size(), p.resumedAt(), p.corrupt(),
                        p.avoided().size(), p.elapsedMicros() / 1e6),
                        String.format(Locale.ROOT, "complete: %s (%d bytes), every chunk's SHA-256 verified%s", out,
                                p.size(), p.corrupt() == 0 ? "" : "; " + p.corrupt() + " corrupt chunks dropped from "
                                        + p.avoided().size() + " peers, no longer asked"));
                if (!seed) {
                    return 0;
                }
                int served = exit.get();
                return served == SendCommand.EXIT_STOPPED ? 0 : served;
            } finally {
                // Decided: the close that follows is ours, not a lost connection.
                exit.complete(0);
                group.close();
            }
        }
    }

    /** Shows the progress until the file is complete (0) or the exit is decided otherwise. */
    private int fetch(Swarm s, SwarmDisplay display, CompletableFuture<Integer> exit) throws Exception {
        while (!exit.isDone()) {
            try {
                s.completion().get(display.intervalNanos(), TimeUnit.NANOSECONDS);
                return 0;
            } catch (TimeoutException e) {
                display.progress(s.progress());
            } catch (ExecutionException e) {
                display.finish();
                throw new CommandFailure("cannot write " + out + ": " + ErrorText.of(e.getCause()));
            }
        }
        return exit.get();
    }

    /** One event: a JSON line on stdout, or a sentence on stderr. */
    private void event(PrintWriter stdout, PrintWriter err, String json, String text) {
        if (peer.json) {
            stdout.println(json);
            stdout.flush();
        } else {
            err.println(text);
            err.flush();
        }
    }

    /** What the swarm says, told as it happens. */
    private final class Events implements Swarm.Listener {
        private final SwarmDisplay display;
        private final PrintWriter stdout;
        private final PrintWriter err;

        Events(SwarmDisplay display, PrintWriter stdout, PrintWriter err) {
            this.display = display;
            this.stdout = stdout;
            this.err = err;
        }

        @Override
        public void onManifest(SwarmManifest m) {
            event(stdout, err, String.format(Locale.ROOT, "{\"event\":\"manifest\",\"size\":%d,\"chunkSize\":%d,"
                    + "\"chunks\":%d}", m.size(), m.chunkSize(), m.chunkCount()), String.format(Locale.ROOT,
                    "manifest verified: %d bytes in %d chunks of %d", m.size(), m.chunkCount(), m.chunkSize()));
        }

        @Override
        public void onCorrupt(long index, String peerId) {
            display.finish();
            event(stdout, err, String.format(Locale.ROOT, "{\"event\":\"corrupt\",\"index\":%d,\"peerId\":\"%s\"}", index,
                    peerId), (index == 0 ? "the manifest" : "chunk " + (index - 1)) + " from " + peerId
                    + " did not match its SHA-256: dropped, and that peer is asked for nothing more");
        }
    }
}
