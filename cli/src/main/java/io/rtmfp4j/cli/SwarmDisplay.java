package io.rtmfp4j.cli;

import io.rtmfp4j.flash.swarm.SwarmProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows how a swarm download goes, as {@link TransferDisplay} shows a transfer: a bar redrawn in
 * place with the peers and the rate, a line every few seconds in a log, or JSON lines.
 */
final class SwarmDisplay {
    private static final int BAR_WIDTH = 24;

    private final TransferDisplay.Mode mode;
    private final PrintWriter out;
    private final PrintWriter err;
    /** Paces the showings and ends the bar's line, as for a transfer. */
    private final TransferDisplay pace;

    SwarmDisplay(TransferDisplay.Mode mode, PrintWriter out, PrintWriter err) {
        this.mode = mode;
        this.out = out;
        this.err = err;
        this.pace = new TransferDisplay(mode, out, err);
    }

    /** How often {@link #progress} is worth calling. */
    long intervalNanos() {
        return mode.intervalNanos;
    }

    /** Shows {@code p} if the last showing is old enough and something changed, or the download is complete. */
    synchronized void progress(SwarmProgress p) {
        if (!pace.due(p.bytes(), p.isComplete())) {
            return;
        }
        String name = p.id().substring(0, 12);
        String rate = TransferDisplay.rate(p.bytesPerSecond(), p.elapsedMicros());
        String eta = TransferDisplay.eta(p.etaSeconds(), p.isComplete(), p.elapsedMicros());
        String size = p.size() < 0 ? "?" : TransferDisplay.megabytes(p.size());
        switch (mode) {
            case BAR -> {
                int filled = (int) Math.round(p.fraction() * BAR_WIDTH);
                err.print(String.format(Locale.ROOT, "\r%s %3d%% [%s%s] %s/%s, %d peers%s%s\u001b[K", name,
                        (int) (p.fraction() * 100), "#".repeat(filled), ".".repeat(BAR_WIDTH - filled),
                        TransferDisplay.megabytes(p.bytes()), size, p.neighbors(), rate, eta));
                err.flush();
            }
            case LINES -> {
                err.println(String.format(Locale.ROOT, "%s: %d%% (%s of %s), %d peers%s%s", name,
                        (int) (p.fraction() * 100), TransferDisplay.megabytes(p.bytes()), size, p.neighbors(), rate, eta));
                err.flush();
            }
            case JSON -> {
                out.println(String.format(Locale.ROOT, "{\"event\":\"progress\",\"swarmId\":\"%s\",\"bytes\":%d,"
                                + "\"size\":%d,\"chunks\":%d,\"chunkCount\":%d,\"peers\":%d,\"resumedAt\":%d,"
                                + "\"bytesPerSecond\":%.0f,\"etaSeconds\":%.1f,\"corrupt\":%d,\"servedBytes\":%d}",
                        p.id(), p.bytes(), p.size(), p.chunks(), p.chunkCount(), p.neighbors(), p.resumedAt(),
                        p.bytesPerSecond(), p.etaSeconds(), p.corrupt(), p.servedBytes()));
                out.flush();
            }
        }
    }

    /** Ends the bar's line, so what follows starts on a line of its own. */
    void finish() {
        pace.finish();
    }
}
