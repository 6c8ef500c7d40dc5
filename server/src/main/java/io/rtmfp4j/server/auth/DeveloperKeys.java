package io.rtmfp4j.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Developer keys, as Adobe's hosted service used them: the first path segment of the rtmfp URL
 * ({@code rtmfp://host/KEY/...}, i.e. the app up to its first '/') must be a key listed in a file.
 *
 * <p>The file holds one key per line; blank lines and lines starting with '#' are ignored. It is
 * re-read when its modification time or size changes (checked at most once a second), so keys can
 * be added and revoked without a restart; if a re-read fails, the keys read last stay in force.
 */
public final class DeveloperKeys implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(DeveloperKeys.class);
    private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final Path file;
    private final LongSupplier nanoClock;
    private Set<String> keys;
    private FileTime loadedTime;
    private long loadedSize;
    private long checkedAt;

    /**
     * @throws UncheckedIOException if the file cannot be read at start: a server that would reject
     *                              everyone should not start quietly
     */
    public DeveloperKeys(Path file) {
        this(file, System::nanoTime);
    }

    DeveloperKeys(Path file, LongSupplier nanoClock) {
        this.file = file;
        this.nanoClock = nanoClock;
        try {
            load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read developer keys from " + file + ": " + e.getMessage(), e);
        }
        this.checkedAt = nanoClock.getAsLong();
    }

    @Override
    public AuthDecision authenticate(ConnectRequest request) {
        refreshIfChanged();
        String key = firstSegment(request.app());
        if (key.isEmpty()) {
            return AuthDecision.reject("a developer key is required: connect to rtmfp://host/KEY");
        }
        if (!keys.contains(key)) {
            return AuthDecision.reject("unknown developer key");
        }
        return AuthDecision.accept();
    }

    /** Keys currently in force. */
    public int size() {
        return keys.size();
    }

    static String firstSegment(String app) {
        String a = app.startsWith("/") ? app.substring(1) : app;
        int end = a.length();
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c == '/' || c == '?') {
                end = i;
                break;
            }
        }
        return a.substring(0, end);
    }

    private void refreshIfChanged() {
        long t = nanoClock.getAsLong();
        if (t - checkedAt < CHECK_INTERVAL_NANOS) {
            return;
        }
        checkedAt = t;
        try {
            if (!Files.getLastModifiedTime(file).equals(loadedTime) || Files.size(file) != loadedSize) {
                load();
                log.info("developer keys reloaded from {}: {} keys", file, keys.size());
            }
        } catch (IOException e) {
            log.warn("cannot re-read developer keys from {} ({}); keeping the {} keys read before", file,
                    e.getMessage(), keys.size());
        }
    }

    private void load() throws IOException {
        FileTime time = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        Set<String> read = new HashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String k = line.strip();
            if (!k.isEmpty() && !k.startsWith("#")) {
                read.add(k);
            }
        }
        keys = Set.copyOf(read);
        loadedTime = time;
        loadedSize = size;
    }
}
