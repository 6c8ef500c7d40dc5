package io.rtmfp4j.cli;

import io.rtmfp4j.flash.files.TransferProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows how a file transfer goes: a progress bar redrawn in place when a person watches, a line
 * every few seconds in a log, or JSON lines for programs.
 */
final class TransferDisplay {
    enum Mode {
        /** One line on stderr redrawn in place; for a terminal. */
        BAR(200_000_000L),
        /** A line on stderr every few seconds; for logs. */
        LINES(5_000_000_000L),
        /** {@code {"event":"progress",...}} on stdout every second. */
        JSON(1_000_000_000L);

        final long intervalNanos;

        Mode(long intervalNanos) {
            this.intervalNanos = intervalNanos;
        }
    }

    private static final int BAR_WIDTH = 24;

    private final Mode mode;
    private final PrintWriter out;
    private final PrintWriter err;
    private long lastNanos;
    private long lastBytes = -1;
    private boolean barShown;

    TransferDisplay(Mode mode, PrintWriter out, PrintWriter err) {
        this.mode = mode;
        this.out = out;
        this.err = err;
    }

    /** JSON when asked for; otherwise a bar if a terminal is attached (System.console: stdin and stdout are). */
    static Mode choose(boolean json) {
        return json ? Mode.JSON : System.console() != null ? Mode.BAR : Mode.LINES;
    }

    Mode mode() {
        return mode;
    }

    /**
     * Whether progress at {@code bytes} is worth showing now: the last showing is old enough, or
     * the transfer is complete, and the bytes changed. If so, it counts as shown.
     */
    synchronized boolean due(long bytes, boolean complete) {
        long now = System.nanoTime();
        boolean due = !barShown || now - lastNanos >= mode.intervalNanos || complete;
        if (!due || (barShown && bytes == lastBytes)) {
            return false;
        }
        lastNanos = now;
        lastBytes = bytes;
        barShown = true;
        return true;
    }

    /** Shows {@code p} if the last showing is old enough, or the transfer is complete. */
    synchronized void progress(TransferProgress p) {
        if (!due(p.bytes(), p.isComplete())) {
            return;
        }
        switch (mode) {
            case BAR -> {
                int filled = (int) Math.round(p.fraction() * BAR_WIDTH);
                err.print(String.format(Locale.ROOT, "\r%s %3d%% [%s%s] %s/%s%s%s\u001b[K", p.name(),
                        (int) (p.fraction() * 100), "#".repeat(filled), ".".repeat(BAR_WIDTH - filled),
                        megabytes(p.bytes()), megabytes(p.size()), rate(p), eta(p)));
                err.flush();
            }
            case LINES -> {
                err.println(String.format(Locale.ROOT, "%s: %d%% (%s of %s)%s%s", p.name(),
                        (int) (p.fraction() * 100), megabytes(p.bytes()), megabytes(p.size()), rate(p), eta(p)));
                err.flush();
            }
            case JSON -> {
                out.println(String.format(Locale.ROOT, "{\"event\":\"progress\",\"peerId\":\"%s\",\"name\":\"%s\","
                                + "\"bytes\":%d,\"size\":%d,\"resumedAt\":%d,\"bytesPerSecond\":%.0f,\"etaSeconds\":%.1f}",
                        p.peerId(), Json.escape(p.name()), p.bytes(), p.size(), p.resumedAt(), p.bytesPerSecond(),
                        p.etaSeconds()));
                out.flush();
            }
        }
    }

    /** Ends the bar's line, so what follows starts on a line of its own. */
    synchronized void finish() {
        if (mode == Mode.BAR && barShown) {
            err.println();
            err.flush();
        }
        barShown = false;
        lastBytes = -1;
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static String rate(TransferProgress p) {
        return rate(p.bytesPerSecond(), p.elapsedMicros());
    }

    private static String eta(TransferProgress p) {
        return eta(p.etaSeconds(), p.isComplete(), p.elapsedMicros());
    }

    /** Rates and times are noise in the first half second. */
    private static boolean settled(long elapsedMicros) {
        return elapsedMicros >= 500_000;
    }

    /** {@code ", 1.2 MB/s"}, or nothing while the rate is noise. */
    static String rate(double bytesPerSecond, long elapsedMicros) {
        return settled(elapsedMicros) ? String.format(Locale.ROOT, ", %.1f MB/s", bytesPerSecond / 1e6) : "";
    }

    /** {@code ", ETA 1:05"}, or nothing once complete, while unknown or while it is noise. */
    static String eta(double etaSeconds, boolean complete, long elapsedMicros) {
        if (complete || etaSeconds < 0 || !settled(elapsedMicros)) {
            return "";
        }
        long secs = Math.round(etaSeconds);
        return String.format(Locale.ROOT, ", ETA %d:%02d", secs / 60, secs % 60);
    }
}
