package io.rtmfp4j.cli;

import io.rtmfp4j.flash.files.FileOffer;
import io.rtmfp4j.flash.files.FileSender;
import io.rtmfp4j.flash.files.FileTransferException;
import io.rtmfp4j.flash.net.NetConnection;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rtmfp send}: delivers one file to a peer running {@code rtmfp receive}, directly. */
@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Sends a file to a peer that runs 'rtmfp receive', over a direct encrypted peer-to-peer "
                + "session: the server only introduces the two peers. The receiver checks the SHA-256 before it "
                + "keeps the file; an interrupted transfer resumes where it stopped when sent again.",
                "Exits 0 once the receiver confirmed the file, 1 when it cannot be reached or refuses or the "
                        + "transfer fails, 3 when the receiver left mid-transfer (send again to resume), 2 on misuse, "
                        + "130 when stopped with Ctrl-C (send again to resume)."})
final class SendCommand implements Callable<Integer> {
    /** Exit code of a transfer cut short: sending again resumes it. */
    static final int EXIT_INTERRUPTED = 3;
    /** Exit code after the user's own Ctrl-C, as shells report a command ended by SIGINT (128 + 2). */
    static final int EXIT_STOPPED = 130;

    @Spec
    CommandSpec spec;

    /** Whether the receiver was reached through the relay, once the transfer has shown it. */
    private final AtomicReference<Boolean> relayedPath = new AtomicReference<>();

    @Mixin
    PeerOptions peer;

    @Parameters(paramLabel = "FILE", description = "The file to send.")
    Path file;

    @Option(names = "--to", required = true, paramLabel = "NAME|PEERID",
            description = "The receiver: the name it registered ('rtmfp receive --name'), or its peer ID (64 hex digits).")
    String to;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "Give up when the server or the receiver does not answer within this long, or a transfer "
                    + "makes no progress for twice as long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        String unreadable = ErrorText.unreadable(file);
        if (unreadable != null) {
            throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + unreadable);
        }
        String badName = FileOffer.nameProblem(file.getFileName().toString());
        if (badName != null) {
            throw new ParameterException(spec.commandLine(), badName + " (rename it: the receiver would refuse it)");
        }
        FileOffer offer = FileSender.offerFor(file);
        try (NetConnection c = peer.connect(null, timeout); PeerOptions.Stop stop = PeerOptions.closeOnExit(c)) {
            try {
                String target = PeerLookup.resolve(c, to, timeout, peer.server);
                TransferDisplay display = new TransferDisplay(TransferDisplay.choose(peer.json), out(), err());
                FileSender.Result sent = deliver(c, target, offer, display, stop);
                Boolean relayed = relayedPath.get();
                report(out(), sent, relayed != null ? relayed : ReachOptions.relayed(c, sent.peerId()).orElse(false));
                return 0;
            } catch (CommandFailure e) {
                // After our own Ctrl-C, whatever failed failed because we closed it: nobody else is to blame.
                throw stop.stopping() ? stop.stopped(err(), "send", "send again to resume") : e;
            }
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private FileSender.Result deliver(NetConnection nc, String target, FileOffer offer, TransferDisplay display,
            PeerOptions.Stop stop) throws CommandFailure, InterruptedException, IOException {
        FileSender.Options options = FileSender.Options.defaults().withAnswerTimeout(timeout)
                .withStallTimeout(timeout.multipliedBy(2)).withProgress(p -> {
                    display.progress(p);
                    // How the peer is reached, seen while the session is open: a receiver that leaves
                    // as soon as it has the file takes the session, and the answer, with it.
                    if (relayedPath.get() == null) {
                        nc.peerPath(p.peerId()).thenAccept(path -> path.ifPresent(
                                x -> relayedPath.compareAndSet(null, x.relayed())));
                    }
                });
        try {
            CompletableFuture<FileSender.Result> sent = FileSender.send(nc, target, file, offer, options);
            CompletableFuture.anyOf(sent, stop.requested()).get();
            if (stop.stopping()) {
                throw new CommandFailure("stopped");
            }
            return sent.get();
        } catch (ExecutionException e) {
            display.finish();
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            if (cause instanceof FileTransferException t) {
                // The message may quote the receiver's reason: peer text, made safe for the terminal.
                throw new CommandFailure(t.reason() == FileTransferException.Reason.PEER_LEFT ? EXIT_INTERRUPTED
                        : CommandFailure.FAILED, TerminalText.clean(t.getMessage()));
            }
            throw new CommandFailure(ErrorText.of(cause));
        } finally {
            display.finish();
        }
    }

    private void report(PrintWriter out, FileSender.Result r, boolean relayed) {
        FileOffer o = r.offer();
        if (peer.json) {
            out.println(String.format(Locale.ROOT, "{\"event\":\"sent\",\"peerId\":\"%s\",\"name\":\"%s\",\"size\":%d,"
                            + "\"sha256\":\"%s\",\"resumedAt\":%d,\"seconds\":%.3f,\"bytesPerSecond\":%.0f,\"relayed\":%s}",
                    r.peerId(), Json.escape(o.name()), o.size(), o.sha256(), r.resumedAt(), r.elapsedMicros() / 1e6,
                    r.bytesPerSecond(), relayed));
        } else {
            out.println(String.format(Locale.ROOT, "sent %s (%d bytes) to %s%s in %.1f s, %.1f MB/s%s; SHA-256 %s "
                            + "confirmed by the receiver", o.name(), o.size(), r.peerId(), ReachOptions.via(relayed),
                    r.elapsedMicros() / 1e6, r.bytesPerSecond() / 1e6,
                    r.resumedAt() > 0 ? ", resumed at byte " + r.resumedAt() : "", o.sha256()));
        }
        out.flush();
    }
}
