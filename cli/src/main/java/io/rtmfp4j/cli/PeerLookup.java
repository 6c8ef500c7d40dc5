package io.rtmfp4j.cli;

import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.net.PeerIds;
import io.rtmfp4j.flash.tc.Status;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds the peer a command is to reach (send's receiver, play's publisher) by the server's
 * presence service: a name must be known to it; a peer ID is checked with it too, so a peer that
 * is not connected is reported at once instead of after the command's timeout. A server without
 * presence (another implementation) cannot check a peer ID, which is then taken as given.
 */
final class PeerLookup {
    private PeerLookup() {
    }

    /** The peer ID of {@code target}, a nickname or a peer ID, as the server at {@code server} knows it. */
    static String resolve(NetConnection nc, String target, Duration timeout, String server)
            throws CommandFailure, InterruptedException {
        boolean isId = PeerIds.isPeerId(target);
        try {
            return nc.lookup(target).get(timeout.toMillis(), TimeUnit.MILLISECONDS).peerId();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NetStatusException s && Status.LOOKUP_NOT_FOUND.equals(s.status().code())) {
                throw new CommandFailure((isId ? "peer " + target + " is not connected to "
                        : "no peer named '" + target + "' is connected to ") + server);
            }
            if (isId) {
                return PeerIds.normalize(target);
            }
            throw new CommandFailure("the server could not look up '" + target + "' (" + ErrorText.of(e)
                    + "); give the peer ID instead");
        } catch (TimeoutException e) {
            if (isId) {
                return PeerIds.normalize(target);
            }
            throw new CommandFailure("the server did not answer the lookup of '" + target + "' within "
                    + Durations.describe(timeout));
        }
    }
}
