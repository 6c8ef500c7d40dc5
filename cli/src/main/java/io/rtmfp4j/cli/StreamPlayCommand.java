package io.rtmfp4j.cli;

import static io.rtmfp4j.cli.StreamPublishCommand.say;

import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.media.FlvRecorder;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.net.NetStreamMulticastInfo;
import io.rtmfp4j.flash.net.PeerIds;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rtmfp stream play}: plays a peer's direct-connection stream, or a group's multicast stream, into an FLV file. */
@Command(name = "play", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Connects to a rendezvous server, plays a stream straight from the peer that publishes it and "
                + "writes every audio, video and data message to an FLV file as it arrives.",
                "With --group (or --groupspec) instead of --from, plays the stream of that name multicast in the "
                        + "group, and relays it to the group's other players. Joining a stream under way, it starts at "
                        + "a recent key frame; the file then starts at timestamp 0, with the stream's metadata and "
                        + "decoder configurations first (once each).",
                "Stops when the publisher ends the stream, after --duration, or on Ctrl-C; the file is complete in "
                        + "every case.",
                "Exits 0 once the stream was recorded; 1 when the server cannot be reached, the peer is unknown or "
                        + "does not answer, has no such stream or refuses us; 2 on misuse."})
final class StreamPlayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StreamConnection connection;

    @ArgGroup(exclusive = true)
    StreamGroup group;

    @Option(names = "--from", paramLabel = "NAME|PEERID",
            description = "The publisher: its peer ID (64 hex digits), or the nickname it registered with the server.")
    String from;

    @Option(names = "--name", required = true, paramLabel = "S", description = "The stream's name.")
    String name;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The FLV file to write (replaced).")
    Path out;

    @Option(names = "--duration", paramLabel = "SECONDS", converter = Durations.class,
            description = "Stop after this long (10, 90s, 2m ...); by default when the publisher ends the stream.")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        connection.validate();
        if ((from == null) == (group == null)) {
            throw new ParameterException(spec.commandLine(), "give --from (a peer's direct stream) or --group or "
                    + "--groupspec (a group's multicast stream)");
        }
        String groupspec = group == null ? null : group.groupspec(spec);
        FlvRecorder recorder;
        try {
            recorder = FlvRecorder.toFile(out);
            if (group != null) {
                recorder.rebase();
            }
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot write --out " + out + ": " + ErrorText.of(e));
        }
        try {
            if (groupspec == null) {
                play(spec.commandLine().getOut(), recorder);
            } else {
                playInGroup(spec.commandLine().getOut(), recorder, groupspec);
            }
            return 0;
        } finally {
            recorder.close();
            if (!recorder.started().isDone() || recorder.started().isCompletedExceptionally()) {
                // Nothing was played: leave no header-only file behind.
                Files.deleteIfExists(out);
            }
        }
    }

    private void play(PrintWriter console, FlvRecorder recorder) throws Exception {
        NetConnection nc = connection.connect(null);
        Thread hook = closeOnExit(recorder, nc);
        try {
            String peerId = PeerLookup.resolve(nc, from, connection.timeout, connection.server);
            if (!PeerIds.isPeerId(from)) {
                say(console, "%s is peer %s", from, peerId);
            }
            NetStream stream = NetStream.player(nc, peerId);
            stream.setHandler(new NetStreamHandler() {
                @Override
                public void onStatus(NetStatus status) {
                    recorder.onStatus(status);
                }

                @Override
                public void onMessage(TcMessage message) {
                    recorder.onMessage(message);
                }
            });
            stream.play(name);
            try {
                connection.await(recorder.started(), "cannot play '" + name + "' from " + peerId,
                        "no answer from peer " + peerId + " (is it connected to " + connection.server + "?)");
            } catch (CommandFailure e) {
                throw explain(recorder, peerId, e);
            }
            say(console, "playing '%s' from %s%s into %s", name, peerId,
                    ReachOptions.via(ReachOptions.relayed(nc, peerId).orElse(false)), out);
            record(console, recorder, stream);
        } finally {
            nc.close();
            removeHook(hook);
        }
    }

    private void playInGroup(PrintWriter console, FlvRecorder recorder, String groupspec) throws Exception {
        NetConnection nc = connection.connect(null);
        Thread hook = closeOnExit(recorder, nc);
        try {
            NetGroup netGroup = group.join(nc, groupspec, connection, console, new CompletableFuture<>());
            NetStream stream = NetStream.inGroup(nc, netGroup);
            stream.setHandler(recorder);
            stream.play(name);
            connection.await(recorder.started(), "cannot play '" + name + "' in " + group.describe(),
                    "playing did not start");
            say(console, "playing '%s' in %s into %s", name, group.describe(), out);
            record(console, recorder, stream);
            NetStreamMulticastInfo info = stream.multicastInfo();
            say(console, "received %d fragments pushed and %d pulled; relayed %d fragments (%d bytes) to neighbors; "
                    + "%d fragments skipped", info.fragmentsPushedFromPeers(), info.fragmentsRequestedFromPeers(),
                    info.fragmentsPushedToPeers() + info.fragmentsRequestedByPeers(),
                    info.bytesPushedToPeers() + info.bytesRequestedByPeers(), info.fragmentsSkipped());
            netGroup.close();
        } finally {
            nc.close();
            removeHook(hook);
        }
    }

    /** Records until the stream ends or --duration runs out, then says what was recorded. */
    private void record(PrintWriter console, FlvRecorder recorder, NetStream stream) throws Exception {
        long started = System.nanoTime();
        NetStatus end = awaitEnd(recorder.ended());
        stream.close();
        double seconds = (System.nanoTime() - started) / 1e9;
        say(console, end == null ? "stopped after %.1f s" : "the stream ended after %.1f s: %s", seconds,
                end == null ? "" : end.description());
        recorder.close();
        say(console, "recorded %d tags (%d audio, %d video, %d data), %d bytes, to %s",
                recorder.audioTags() + recorder.videoTags() + recorder.dataTags(), recorder.audioTags(),
                recorder.videoTags(), recorder.dataTags(), recorder.bytesWritten(), out);
    }

    /** On Ctrl-C the recording is completed and the connection closed. */
    private Thread closeOnExit(FlvRecorder recorder, NetConnection nc) {
        Thread hook = new Thread(() -> {
            try {
                recorder.close();
            } catch (IOException e) {
                System.err.println("rtmfp stream play: " + out + ": " + ErrorText.of(e));
            }
            nc.close();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: it closes the same things.
        }
    }

    /** Says in plain words why the publisher did not start the stream. */
    private CommandFailure explain(FlvRecorder recorder, String peerId, CommandFailure fallback) {
        if (!(recorder.started().handle((s, e) -> e).join() instanceof NetStatusException refused)) {
            return fallback;
        }
        NetStatus s = refused.status();
        return new CommandFailure(switch (s.code()) {
            case Status.PLAY_STREAM_NOT_FOUND -> "peer " + peerId + " publishes no stream named '" + name + "'";
            case Status.STREAM_CONNECT_REJECTED -> "peer " + peerId + " refused to let us play '" + name + "'";
            case Status.STREAM_CONNECT_FAILED -> "cannot reach peer " + peerId + ": " + s.description();
            default -> "cannot play '" + name + "' from " + peerId + ": " + s;
        });
    }

    /** The status that ended the stream, or null when --duration ran out first. */
    private NetStatus awaitEnd(CompletableFuture<NetStatus> ended) throws CommandFailure, InterruptedException {
        try {
            return duration == null ? ended.get() : ended.get(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new CommandFailure("recording to " + out + " failed: " + ErrorText.of(e));
        }
    }
}
