package io.rtmfp4j.cli;

import io.rtmfp4j.flash.files.FileOffer;
import io.rtmfp4j.flash.files.FileReceiver;
import io.rtmfp4j.flash.files.FileTransferException;
import io.rtmfp4j.flash.files.TransferProgress;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.PeerPath;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.server.directory.Nickname;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rtmfp receive}: accepts files from 'rtmfp send' into a directory until stopped. */
@Command(name = "receive", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Connects to a rendezvous server and receives the files peers send with 'rtmfp send', "
                + "directly from them, into a directory. Prints this peer's ID (give it, or --name, to senders). "
                + "A file arrives as NAME.part and becomes NAME once its SHA-256 matches the sender's; an "
                + "interrupted transfer resumes from the part when sent again. An existing different NAME is "
                + "never overwritten: that offer is refused.",
                "Runs until stopped (or, with --once, until one file has arrived). Exits 1 when the server "
                        + "connection is lost, 2 on misuse (no such directory, not writable), 130 when stopped with "
                        + "Ctrl-C."})
final class ReceiveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PeerOptions peer;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
            description = "Where received files go (default: the current directory).")
    Path dir;

    @Option(names = "--name", paramLabel = "NAME",
            description = "A name to register with the server's presence service, for 'rtmfp send --to NAME'.")
    String name;

    @Option(names = "--once", description = "Exit 0 after the first file arrives intact.")
    boolean once;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "--dir " + dir + ": "
                    + (Files.exists(dir) ? "not a directory" : "no such directory"));
        }
        if (!Files.isWritable(dir)) {
            throw new ParameterException(spec.commandLine(), "--dir " + dir + ": cannot write into it");
        }
        if (name != null) {
            try {
                // The server's rule, checked here so that a bad name is a usage error, not a rejected connect.
                new Nickname(name);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--name: " + e.getMessage());
            }
        }
        try (NetConnection c = peer.connect(name, PeerOptions.CONNECT_TIMEOUT); PeerOptions.Stop stop = PeerOptions.closeOnExit(c)) {
            return receive(c, stop, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    private int receive(NetConnection nc, PeerOptions.Stop stop, PrintWriter out, PrintWriter err) throws Exception {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        // Our own Ctrl-C: nothing went wrong, nothing to say.
        stop.requested().thenRun(() -> exit.complete(SendCommand.EXIT_STOPPED));
        nc.addStatusListener(s -> {
            // Once the exit is decided, closing the connection is ours and nothing to report.
            if ((Status.CONNECT_CLOSED.equals(s.code()) || s.isError()) && !stop.stopping()
                    && exit.complete(CommandFailure.FAILED)) {
                err.println("rtmfp receive: lost the server connection: " + s);
                err.flush();
            }
        });
        TransferDisplay display = new TransferDisplay(TransferDisplay.choose(peer.json), out, err);
        Events events = new Events(nc, display, out, err, exit);
        try (FileReceiver receiver = FileReceiver.start(nc, dir, events)) {
            if (peer.json) {
                out.println(String.format(Locale.ROOT, "{\"event\":\"ready\",\"peerId\":\"%s\",\"name\":%s,"
                                + "\"server\":\"%s\",\"dir\":\"%s\"}", nc.nearId(),
                        name == null ? "null" : "\"" + Json.escape(name) + "\"", Json.escape(peer.server),
                        Json.escape(dir.toAbsolutePath().toString())));
            } else {
                out.println("peer ID " + nc.nearId());
                err.println("receiving into " + dir.toAbsolutePath() + " via " + peer.server
                        + (name == null ? "" : " as '" + name + "'") + "; send with: rtmfp send FILE --to "
                        + (name == null ? nc.nearId() : name) + " --server " + peer.server);
                err.flush();
            }
            out.flush();
            return exit.get();
        } catch (IOException e) {
            throw new CommandFailure("cannot receive into " + dir + ": " + ErrorText.of(e));
        }
    }

    /** Tells what happens, and ends a --once run. */
    private final class Events implements FileReceiver.Listener {
        private final NetConnection nc;
        private final TransferDisplay display;
        private final PrintWriter out;
        private final PrintWriter err;
        private final CompletableFuture<Integer> exit;

        Events(NetConnection nc, TransferDisplay display, PrintWriter out, PrintWriter err,
                CompletableFuture<Integer> exit) {
            this.nc = nc;
            this.display = display;
            this.out = out;
            this.err = err;
            this.exit = exit;
        }

        @Override
        public void onAccepted(String peerId, FileOffer offer, long offset) {
            // On the connection's loop: its own view of the session, without waiting.
            boolean relayed = nc.services().peerPath(peerId).map(PeerPath::relayed).orElse(false);
            event("accepted", peerId, offer, String.format(Locale.ROOT, ",\"offset\":%d,\"relayed\":%s", offset,
                    relayed), "receiving " + offer.name() + " (" + offer.size() + " bytes) from " + peerId
                            + ReachOptions.via(relayed) + (offset > 0 ? ", resuming at byte " + offset : ""));
        }

        @Override
        public void onRefused(String peerId, FileOffer offer, String reason) {
            event("refused", peerId, offer, ",\"reason\":\"" + Json.escape(reason) + "\"",
                    "refused " + (offer == null ? "an offer" : offer.name()) + " from " + peerId + ": " + reason);
        }

        @Override
        public void onProgress(TransferProgress progress) {
            display.progress(progress);
        }

        @Override
        public void onReceived(String peerId, FileOffer offer, Path file, TransferProgress progress) {
            display.finish();
            event("received", peerId, offer, String.format(Locale.ROOT, ",\"path\":\"%s\",\"sha256\":\"%s\","
                            + "\"resumedAt\":%d,\"seconds\":%.3f", Json.escape(file.toAbsolutePath().toString()),
                    offer.sha256(), progress.resumedAt(), progress.elapsedMicros() / 1e6),
                    String.format(Locale.ROOT, "received %s (%d bytes) from %s, SHA-256 %s verified", file,
                            offer.size(), peerId, offer.sha256()));
            if (once) {
                exit.complete(0);
            }
        }

        @Override
        public void onFailed(String peerId, FileOffer offer, FileTransferException error) {
            display.finish();
            event("failed", peerId, offer, ",\"reason\":\"" + error.reason().name().toLowerCase(Locale.ROOT)
                    + "\",\"message\":\"" + Json.escape(error.getMessage()) + "\"", error.getMessage());
        }

        /** One event: a JSON line on stdout, or a sentence on stderr (stdout keeps only the peer ID). */
        private void event(String kind, String peerId, FileOffer offer, String jsonFields, String text) {
            if (peer.json) {
                out.println("{\"event\":\"" + kind + "\",\"peerId\":\"" + peerId + "\""
                        + (offer == null ? "" : ",\"name\":\"" + Json.escape(offer.name()) + "\",\"size\":" + offer.size())
                        + jsonFields + "}");
                out.flush();
            } else {
                // Names are checked, but reasons and messages may quote what a peer sent.
                err.println(TerminalText.clean(text));
                err.flush();
            }
        }
    }
}
