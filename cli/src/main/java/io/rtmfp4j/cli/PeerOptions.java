package io.rtmfp4j.cli;

import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.flash.files.FileProtocol;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.net.RtmfpUri;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the commands that act as a peer of a rendezvous server (send, receive). */
final class PeerOptions {
    /** A failure to report as it stands, with the command's exit code. */
    static final class Failure extends Exception {
        final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    /** What a peer command does once its arguments are parsed; a {@link Failure} ends it with its exit code. */
    interface Body {
        int run(PrintWriter out, PrintWriter err) throws Exception;
    }

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

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "Give up connecting to the server after this long (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    /** Runs {@code body}; a failure is printed as "rtmfp COMMAND: message" and gives its exit code. */
    static int run(CommandSpec spec, Body body) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return body.run(spec.commandLine().getOut(), err);
        } catch (Failure f) {
            err.println("rtmfp " + spec.name() + ": " + f.getMessage());
            err.flush();
            return f.exitCode;
        }
    }

    /**
     * Closes {@code c} if the JVM is stopped (Ctrl-C) while the returned handle is open, so the
     * server and the other peer hear an orderly close instead of waiting for silence.
     */
    static AutoCloseable closeOnExit(NetConnection c) {
        Thread hook = new Thread(c::close, "rtmfp-close");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException exiting) {
                // The hook runs anyway.
            }
        };
    }

    /**
     * Binds a peer endpoint on every address of the server's family and connects it.
     *
     * @throws Failure exit 2 for a bad URL or identity, 1 when the server cannot be reached or refuses
     */
    NetConnection connect(String nickname) throws Failure, InterruptedException {
        RtmfpUri uri;
        InetSocketAddress first;
        try {
            uri = RtmfpUri.parse(server);
            first = uri.resolve().get(0);
        } catch (IllegalArgumentException e) {
            throw new Failure(2, e.getMessage());
        } catch (UnknownHostException e) {
            throw new Failure(1, "unknown host in " + server);
        }
        PeerIdentity identity = null;
        if (identityFile != null) {
            try {
                identity = PeerIdentity.load(Files.readString(identityFile));
            } catch (IOException | RuntimeException e) {
                throw new Failure(2, "cannot read the identity in " + identityFile + ": " + e.getMessage());
            }
        }
        InetSocketAddress bind = new InetSocketAddress(first.getAddress() instanceof Inet6Address ? "::" : "0.0.0.0", 0);
        NetConnection.Builder builder;
        try {
            builder = reach.apply(NetConnection.builder().bind(bind).receiveWindow(FileProtocol.RECEIVE_WINDOW));
        } catch (IllegalArgumentException e) {
            throw new Failure(2, e.getMessage());
        }
        if (identity != null) {
            builder.identity(identity);
        }
        if (nickname != null) {
            builder.nickname(nickname);
        }
        NetConnection c = builder.build();
        try {
            c.connect(uri.text()).get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return c;
        } catch (ExecutionException e) {
            c.close();
            String why = e.getCause() instanceof NetStatusException s ? s.status().toString() : String.valueOf(e.getCause());
            throw new Failure(1, "cannot connect to " + uri.text() + ": " + why);
        } catch (TimeoutException e) {
            c.close();
            throw new Failure(1, "no answer from " + uri.text() + " within " + connectTimeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            c.close();
            throw e;
        }
    }
}
