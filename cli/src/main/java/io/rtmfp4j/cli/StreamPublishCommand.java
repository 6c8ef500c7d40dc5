package io.rtmfp4j.cli;

import io.rtmfp4j.flash.flv.FlvException;
import io.rtmfp4j.flash.flv.FlvReader;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.media.FlvPublisher;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.PeerIds;
import io.rtmfp4j.flash.net.PeerPath;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.server.directory.Nickname;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rtmfp stream publish}: sends an FLV file live, to direct-connection players or multicast in a group. */
@Command(name = "publish", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Connects to a rendezvous server, publishes a stream for direct connections and sends an FLV "
                + "file on it live, at the pace it was recorded. Prints this peer's ID, which players give to "
                + "'rtmfp stream play --from', and logs players joining and leaving.",
                "With --group (or --groupspec) the stream is multicast in a NetGroup instead: players give the same "
                        + "group to 'rtmfp stream play', and each relays the stream to its neighbors, so this peer "
                        + "uploads a few copies whatever the audience. It logs the group's members joining and leaving.",
                "Audio and video are live (a frame late by more than a second is dropped rather than delaying the "
                        + "rest); metadata and codec configurations are kept for players that join later.",
                "By default the file starts when the first player (in a group: the first other member) arrives, as "
                        + "librtmfp's publisher does. Ends at the "
                        + "end of the file (or never, with --loop); Ctrl-C ends the stream for every player.",
                "In a group it stays 5 s after the file's end, answering the pulls of players still behind, then "
                        + "leaves.",
                "Exits 0 at the end of the file, 1 when the server cannot be reached or the file cannot be read, "
                        + "2 on misuse."})
final class StreamPublishCommand implements Callable<Integer> {
    /**
     * How long a group's publisher stays after its last tag: a fetch period (librtmfp's 2.5 s) and
     * the time a player behind needs to pull what it lacks.
     */
    static final Duration LINGER = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Mixin
    StreamConnection connection;

    @Option(names = "--name", required = true, paramLabel = "S", description = "The stream's name.")
    String name;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The FLV file to send.")
    Path file;

    @ArgGroup(exclusive = true)
    StreamGroup group;

    @Option(names = "--nickname", paramLabel = "N",
            description = "Register this name with the server, so players can use it instead of the peer ID.")
    String nickname;

    @Option(names = "--loop", description = "Start the file again at its end, forever.")
    boolean loop;

    @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Hold the file until the first player arrives (default); --no-wait starts it at once.")
    boolean waitForPlayer;

    @Override
    public Integer call() throws Exception {
        connection.validate();
        if (nickname != null && group != null) {
            throw new ParameterException(spec.commandLine(), "--nickname is for direct streams; a group stream is "
                    + "played by its name in the group");
        }
        if (nickname != null) {
            try {
                // The server's rule, checked here so that a bad name is a usage error, not a rejected connect.
                new Nickname(nickname);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--nickname: " + e.getMessage());
            }
        }
        String unreadable = ErrorText.unreadable(file);
        if (unreadable != null) {
            throw new ParameterException(spec.commandLine(), "cannot read --file " + file + ": " + unreadable);
        }
        return publish(spec.commandLine().getOut(), group == null ? null : group.groupspec(spec));
    }

    private FlvReader open() throws IOException {
        FlvReader reader = new FlvReader(new BufferedInputStream(Files.newInputStream(file)));
        try {
            reader.header();
            return reader;
        } catch (IOException e) {
            reader.close();
            throw e;
        }
    }

    /** Publishes directly, or in the group {@code groupspec} if not null. */
    private int publish(PrintWriter out, String groupspec) throws Exception {
        try (FlvReader check = open()) {
            check.header();
        } catch (FlvException e) {
            throw new CommandFailure(file + ": " + e.getMessage());
        }
        NetConnection nc = connection.connect(nickname);
        CompletableFuture<NetStatus> lost = new CompletableFuture<>();
        nc.addStatusListener(s -> {
            if (Status.CONNECT_CLOSED.equals(s.code())) {
                lost.complete(s);
            }
        });
        CompletableFuture<NetStatus> firstPlayer = new CompletableFuture<>();
        NetGroup netGroup;
        try {
            netGroup = groupspec == null ? null : group.join(nc, groupspec, connection, out, firstPlayer);
        } catch (CommandFailure | RuntimeException e) {
            nc.close();
            throw e;
        }
        NetStream stream = netGroup == null ? NetStream.publisher(nc) : NetStream.inGroup(nc, netGroup);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            // Ctrl-C: the players see the stream end, and the connection's end is not a failure.
            interrupted.set(true);
            stream.close();
            nc.close();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            CompletableFuture<NetStatus> publishing = new CompletableFuture<>();
            stream.setHandler(new NetStreamHandler() {
                @Override
                public void onStatus(NetStatus s) {
                    switch (s.code()) {
                        case Status.PUBLISH_START -> publishing.complete(s);
                        case Status.PUBLISH_BAD_NAME -> publishing.completeExceptionally(new NetStatusException(s));
                        // In a group these say the stream joined or left the group, not that a player came.
                        case Status.STREAM_CONNECT_SUCCESS -> {
                            if (netGroup == null) {
                                Object player = s.info().get("peerId");
                                // On the connection's loop: its own view of the session, without waiting.
                                boolean relayed = player instanceof String id && PeerIds.isPeerId(id)
                                        && nc.services().peerPath(id).map(PeerPath::relayed).orElse(false);
                                say(out, "player %s joined%s", player, ReachOptions.via(relayed));
                                firstPlayer.complete(s);
                            }
                        }
                        case Status.STREAM_CONNECT_CLOSED -> {
                            if (netGroup == null) {
                                say(out, "player %s left: %s", s.info().get("peerId"), s.description());
                            }
                        }
                        default -> {
                            // Unpublish.Success: we closed it ourselves.
                        }
                    }
                }
            });
            stream.publish(name);
            connection.await(publishing, "cannot publish '" + name + "'", "publishing did not start");
            if (netGroup == null) {
                say(out, "publishing '%s' from %s", name, file);
                say(out, "peer ID %s%s", nc.nearId(), nickname == null ? "" : ", nickname " + nickname);
                say(out, "play it with: rtmfp stream play --server %s --from %s --name %s --out FILE",
                        connection.server, nickname == null ? nc.nearId() : nickname, name);
            } else {
                say(out, "publishing '%s' from %s in %s", name, file, group.describe());
                say(out, "peer ID %s", nc.nearId());
                say(out, "play it with: rtmfp stream play --server %s %s --name %s --out FILE", connection.server,
                        group.name != null ? "--group " + group.name : "--groupspec " + group.groupspec, name);
            }
            if (waitForPlayer) {
                say(out, netGroup == null ? "waiting for a player" : "waiting for another member of the group");
                CompletableFuture.anyOf(firstPlayer, lost).join();
                if (endedByUs(lost, interrupted)) {
                    return 0;
                }
            }
            FlvPublisher publisher = new FlvPublisher(nc, stream, this::open, loop);
            CompletableFuture<FlvPublisher.Summary> done = publisher.start();
            CompletableFuture.anyOf(done, lost).exceptionally(e -> null).join();
            if (endedByUs(lost, interrupted)) {
                return 0;
            }
            FlvPublisher.Summary summary;
            try {
                summary = done.join();
            } catch (CompletionException e) {
                throw new CommandFailure("reading " + file + ": " + ErrorText.of(e));
            }
            say(out, "sent %d tags (%d audio, %d video, %d data)%s%s", summary.tags(), summary.audio(), summary.video(),
                    summary.data(), summary.passes() > 1 ? " in " + summary.passes() + " passes" : "",
                    netGroup != null ? "" : "; " + summary.abandoned()
                            + " audio/video messages late for at least one player");
            if (netGroup != null) {
                // Players behind still pull the last fragments from us: librtmfp's pause their pulls
                // once no map came for a fetch period, so a publisher gone at once left the end of
                // its stream missing at all of them (docs/interop.md).
                say(out, "staying %d s in the group for players still pulling", LINGER.toSeconds());
                CompletableFuture.anyOf(lost).completeOnTimeout(null, LINGER.toMillis(), TimeUnit.MILLISECONDS)
                        .exceptionally(e -> null).join();
            }
            return 0;
        } finally {
            stream.close();
            if (netGroup != null) {
                netGroup.close();
            }
            nc.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run: it closes the same things.
            }
        }
    }

    /**
     * Whether the server connection ended because of Ctrl-C; its end for any other reason is a
     * failure. False while it lasts.
     */
    private static boolean endedByUs(CompletableFuture<NetStatus> lost, AtomicBoolean interrupted)
            throws CommandFailure {
        if (!lost.isDone()) {
            return false;
        }
        if (interrupted.get()) {
            return true;
        }
        throw new CommandFailure("lost the server connection: " + lost.join().description());
    }

    static void say(PrintWriter out, String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }
}
