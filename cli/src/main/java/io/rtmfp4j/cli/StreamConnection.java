package io.rtmfp4j.cli;

import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.net.RtmfpUri;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options {@code stream publish} and {@code stream play} share: which server, how long to wait. */
final class StreamConnection {
    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "The rendezvous server: rtmfp://host[:port]/app (port 1935 by default).")
    String server;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "How long to wait for the server, and for the other peer to answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    ReachOptions reach = new ReachOptions();

    /** Checks the URL before anything is opened; throws IllegalArgumentException with the reason. */
    void validate() {
        RtmfpUri.parse(server);
        reach.validate();
    }

    /** A connection to the server, registered under {@code nickname} if not null; closed again on failure. */
    NetConnection connect(String nickname) throws StreamFailure, InterruptedException {
        NetConnection.Builder builder = reach.apply(NetConnection.builder());
        if (nickname != null) {
            builder.nickname(nickname);
        }
        NetConnection nc = builder.build();
        try {
            await(nc.connect(server), "cannot connect to " + server, "no answer from " + server);
            return nc;
        } catch (StreamFailure | InterruptedException | RuntimeException e) {
            nc.close();
            throw e;
        }
    }

    /**
     * Waits up to {@code --timeout} for {@code f}; a failure becomes a {@link StreamFailure} that
     * says {@code failed}, with the status description or reason, or {@code timedOut}.
     */
    <T> T await(Future<T> f, String failed, String timedOut) throws StreamFailure, InterruptedException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof NetStatusException s ? s.status().toString() : String.valueOf(cause.getMessage());
            throw new StreamFailure(failed + ": " + why);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new StreamFailure(timedOut + " within " + describe(timeout));
        }
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
