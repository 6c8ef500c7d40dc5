package io.rtmfp4j.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeveloperKeysTest {
    @TempDir
    Path dir;

    final AtomicLong nanos = new AtomicLong();

    static ConnectRequest app(String app) {
        return new ConnectRequest(app, "rtmfp://host/" + app, List.of(), new byte[32], new byte[32]);
    }

    @Test
    void theFirstPathSegmentMustBeAListedKey() throws IOException {
        Path file = Files.writeString(dir.resolve("keys"), "# developer keys\n\nabc123\n  def456  \n");
        DeveloperKeys keys = new DeveloperKeys(file, nanos::get);

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.authenticate(app("abc123")).accepted()).isTrue();
        assertThat(keys.authenticate(app("def456/room/1")).accepted()).isTrue();
        assertThat(keys.authenticate(app("abc123?x=1")).accepted()).isTrue();
        assertThat(keys.authenticate(app("nope/abc123")).description()).isEqualTo("unknown developer key");
        assertThat(keys.authenticate(app("")).description()).contains("developer key is required");
        assertThat(keys.authenticate(app("# developer keys")).accepted()).isFalse();
    }

    @Test
    void editsTakeEffectWithoutARestart() throws IOException {
        Path file = Files.writeString(dir.resolve("keys"), "abc123\n");
        DeveloperKeys keys = new DeveloperKeys(file, nanos::get);
        assertThat(keys.authenticate(app("newkey")).accepted()).isFalse();

        Files.writeString(file, "newkey\nanother\n");
        nanos.addAndGet(2_000_000_000L);

        assertThat(keys.authenticate(app("newkey")).accepted()).isTrue();
        assertThat(keys.authenticate(app("abc123")).accepted()).isFalse();
    }

    @Test
    void aFileThatDisappearsKeepsTheLastKeys() throws IOException {
        Path file = Files.writeString(dir.resolve("keys"), "abc123\n");
        DeveloperKeys keys = new DeveloperKeys(file, nanos::get);
        Files.delete(file);
        nanos.addAndGet(2_000_000_000L);

        assertThat(keys.authenticate(app("abc123")).accepted()).isTrue();
    }

    @Test
    void aMissingFileStopsTheServerFromStarting() {
        assertThatThrownBy(() -> new DeveloperKeys(dir.resolve("absent")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read developer keys");
    }
}
