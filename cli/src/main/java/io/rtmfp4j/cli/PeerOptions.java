package io.rtmfp4j.cli;

import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.flash.files.FileProtocol;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.net.RtmfpUri;
import io.rtmfp4j.flash.tc.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options of the commands that act as a peer of a rendezvous server (send, receive). */
final class PeerOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--json", description = "Print events, progress and results as JSON lines on stdout.")
    boolean json;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:RTMFP_SERVER:-rtmfp://127.0.0.1/files}",
            description = "Rendezvous server, rtmfp://host[:port]/app (default: $RTMFP_SERVER, else ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--identity", paramLabel = "FILE",
            description = "Use the identity in FILE (from 'rtmfp keygen'), so the peer ID stays the same across runs.")
    Path identityFile;

    @Mixin
    ReachOptions reach = new ReachOptions();

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "Give up connecting to the server after this long (default: 10s for receive, "
                    + "--timeout for send).")
    Duration connectTimeout;

    /** How long receive waits for the server by default. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The user's own stop (Ctrl-C, SIGTERM) of a command holding a connection: the connection is
     * closed in an orderly way, and the command, which then sees it fail, can tell that the stop
     * was ours. The JVM ends (exit 130 after Ctrl-C) once the command has settled, or after
     * {@link #SETTLE} if it does not.
     */
    static final class Stop implements AutoCloseable {
        /** How long a stopping JVM waits for the command to say how it ended. */
        private static final Duration SETTLE = Duration.ofSeconds(2);
        private final Thread hook;
        private final CompletableFuture<Void> requested = new CompletableFuture<>();
        private final CountDownLatch settled = new CountDownLatch(1);

        private Stop(NetConnection c) {
            hook = new Thread(() -> {
                // First: what the close makes fail is then known to be ours, not the peer's, and a command
                // waiting on the connection, whose callbacks stop with it, hears of the stop all the same.
                requested.complete(null);
                c.close();
                try {
                    settled.await(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "rtmfp-close");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        /**
         * Completes {@code exit} with 1, saying so on {@code err}, if {@code nc} loses its server
         * connection, unless this stop closed it: what a command that stays a group member needs.
         */
        void exitOnServerLoss(NetConnection nc, String command, CompletableFuture<Integer> exit, PrintWriter err) {
            nc.addStatusListener(s -> {
                if ((Status.CONNECT_CLOSED.equals(s.code()) || s.isError()) && !s.code().startsWith("NetGroup.")
                        && !stopping() && exit.complete(CommandFailure.FAILED)) {
                    err.println(command + ": lost the server connection: " + s);
                    err.flush();
                }
            });
        }

        /** Whether the JVM is being stopped and the connection was closed because of it. */
        boolean stopping() {
            return requested.isDone();
        }

        /** Completes when the JVM is being stopped. */
        CompletableFuture<Void> requested() {
            return requested;
        }

        /**
         * Says on {@code err} that the command was stopped, with what to do next if not null, and
         * returns the failure that ends it; its message is said already.
         */
        CommandFailure stopped(PrintWriter err, String command, String next) {
            err.println("rtmfp " + command + ": stopped" + (next == null ? "" : "; " + next));
            err.flush();
            return CommandFailure.reported(SendCommand.EXIT_STOPPED);
        }

        @Override
        public void close() {
            settled.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException exiting) {
                // The hook runs anyway.
            }
        }
    }

    /**
     * Closes {@code c} if the JVM is stopped (Ctrl-C) while the returned handle is open, so the
     * server and the other peer hear an orderly close instead of waiting for silence.
     */
    static Stop closeOnExit(NetConnection c) {
        return new Stop(c);
    }

    /**
     * Binds a peer endpoint on every address of the server's family and connects it, giving up
     * after {@code --connect-timeout}, else {@code fallbackTimeout}.
     *
     * @throws ParameterException for a bad URL or identity
     * @throws CommandFailure when the server cannot be reached or refuses
     */
    NetConnection connect(String nickname, Duration fallbackTimeout) throws CommandFailure, InterruptedException {
        Duration timeout = connectTimeout != null ? connectTimeout : fallbackTimeout;
        RtmfpUri uri;
        InetSocketAddress first;
        try {
            uri = RtmfpUri.parse(server);
            first = uri.resolve().get(0);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--server: " + e.getMessage());
        } catch (UnknownHostException e) {
            throw new CommandFailure("unknown host in " + server);
        }
        PeerIdentity identity = null;
        if (identityFile != null) {
            try {
                identity = PeerIdentity.load(Files.readString(identityFile));
            } catch (IOException | RuntimeException e) {
                throw new ParameterException(command.commandLine(), "cannot read the identity in " + identityFile + ": "
                        + ErrorText.of(e));
            }
        }
        InetSocketAddress bind = new InetSocketAddress(first.getAddress() instanceof Inet6Address ? "::" : "0.0.0.0", 0);
        NetConnection.Builder builder;
        try {
            builder = reach.apply(NetConnection.builder().bind(bind).receiveWindow(FileProtocol.RECEIVE_WINDOW));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
        if (identity != null) {
            builder.identity(identity);
        }
        if (nickname != null) {
            builder.nickname(nickname);
        }
        NetConnection c = builder.build();
        try {
            c.connect(uri.text()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return c;
        } catch (ExecutionException e) {
            c.close();
            String why = e.getCause() instanceof NetStatusException s ? s.status().toString() : ErrorText.of(e);
            throw new CommandFailure("cannot connect to " + uri.text() + ": " + why);
        } catch (TimeoutException e) {
            c.close();
            throw new CommandFailure("no answer from " + uri.text() + " within " + Durations.describe(timeout));
        } catch (InterruptedException e) {
            c.close();
            throw e;
        }
    }
}
