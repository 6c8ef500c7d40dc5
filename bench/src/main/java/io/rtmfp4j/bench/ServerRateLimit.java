package io.rtmfp4j.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many startup packets an {@code rtmfp server} has dropped as over its per-address handshake
 * rate, read from its admin listener's {@code /status} ({@code drops.rate_limited}, docs/server.md).
 * A load generator's sessions all come from one address, so a count that grows while it runs means
 * it measured the rate limit rather than the server.
 */
public final class ServerRateLimit {
    private static final Pattern RATE_LIMITED = Pattern.compile("\"rate_limited\"\\s*:\\s*(\\d{1,18})(?!\\d)");
    /**
     * The status is built on the server's loop thread, which is still working through the load's
     * backlog when the run ends: on a busy machine that took more than 5 s, and the run lost its answer.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ServerRateLimit() {
    }

    /** The count at {@code admin} (the listener's base URI); empty when it cannot be read. */
    public static OptionalLong drops(URI admin) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(admin.resolve("/status")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? parse(r.body()) : OptionalLong.empty();
        } catch (IOException | IllegalArgumentException e) {
            // No admin listener there (another server, or --admin off): nothing to tell.
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    static OptionalLong parse(String status) {
        Matcher m = RATE_LIMITED.matcher(status);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
}
