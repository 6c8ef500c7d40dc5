package io.rtmfp4j.cli;

import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.RtmfpUri;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options {@code stream publish} and {@code stream play} share: which server, how long to wait. */
final class StreamConnection {
    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "The rendezvous server: rtmfp://host[:port]/app (port 1935 by default).")
    String server;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "How long to wait for the server, and for the other peer to answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Mixin
    ReachOptions reach = new ReachOptions();

    /** Checks the URL before anything is opened: a bad one is misuse. */
    void validate() {
        try {
            RtmfpUri.parse(server);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--server: " + e.getMessage());
        }
        try {
            reach.validate();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    /** A connection to the server, registered under {@code nickname} if not null; closed again on failure. */
    NetConnection connect(String nickname) throws CommandFailure, InterruptedException {
        NetConnection.Builder builder = reach.apply(NetConnection.builder());
        if (nickname != null) {
            builder.nickname(nickname);
        }
        NetConnection nc = builder.build();
        try {
            await(nc.connect(server), "cannot connect to " + server, "no answer from " + server);
            return nc;
        } catch (CommandFailure | InterruptedException | RuntimeException e) {
            nc.close();
            throw e;
        }
    }

    /**
     * Waits up to {@code --timeout} for {@code f}; a failure becomes a {@link CommandFailure} that
     * says {@code failed}, with the status description or reason, or {@code timedOut}.
     */
    <T> T await(Future<T> f, String failed, String timedOut) throws CommandFailure, InterruptedException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new CommandFailure(failed + ": " + ErrorText.of(cause));
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new CommandFailure(timedOut + " within " + Durations.describe(timeout));
        }
    }
}
