package io.rtmfp4j.flash.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.crypto.Sha256;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The swarm manifest: what the swarm ID names, and what every chunk is checked against. */
class SwarmManifestProperties {

    @Property(tries = 200)
    void encodeAndDecodeAreInverses(@ForAll @Size(max = 20_000) byte[] content, @ForAll @IntRange(min = 10, max = 14) int log2) {
        SwarmManifest m = SwarmManifest.of(content, 1 << log2);
        SwarmManifest back = SwarmManifest.decode(m.encode());
        assertThat(back).isEqualTo(m);
        assertThat(back.id()).isEqualTo(Hex.encode(Sha256.digest(m.encode()))).hasSize(64);
    }

    @Property(tries = 200)
    void eachChunkMatchesItsOwnBytesOnly(@ForAll @Size(min = 1, max = 20_000) byte[] content,
            @ForAll @IntRange(min = 0, max = 19_999) int flip) {
        SwarmManifest m = SwarmManifest.of(content, 1024);
        for (int c = 0; c < m.chunkCount(); c++) {
            int from = c * 1024;
            byte[] chunk = Arrays.copyOfRange(content, from, Math.min(content.length, from + 1024));
            assertThat(m.matches(c, chunk)).isTrue();
            assertThat(m.matches(c, Arrays.copyOf(chunk, chunk.length + 1))).isFalse();
        }
        int at = flip % content.length;
        byte[] changed = content.clone();
        changed[at] ^= 1;
        int c = at / 1024;
        assertThat(m.matches(c, Arrays.copyOfRange(changed, c * 1024, Math.min(content.length, c * 1024 + 1024))))
                .isFalse();
    }

    @Property(tries = 500)
    void anyBytesDecodeToAManifestOrFailCleanly(@ForAll @Size(max = 200) byte[] bytes) {
        try {
            SwarmManifest m = SwarmManifest.decode(bytes);
            assertThat(m.encode()).isEqualTo(bytes);
        } catch (WireFormatException expected) {
            // Hostile or truncated bytes: refused with the project's exception, nothing else.
        }
    }

    @Test
    void aManifestClaimingMoreChunksThanItsHashesIsRefusedWithoutAllocatingForThem() {
        byte[] lie = new ByteWriter(16).vlu(SwarmManifest.VERSION).vlu(1L << 40).vlu(1 << 10).toByteArray();
        assertThatThrownBy(() -> SwarmManifest.decode(lie)).isInstanceOf(WireFormatException.class);
        byte[] odd = new ByteWriter(16).vlu(SwarmManifest.VERSION).vlu(100).vlu(3000).toByteArray();
        assertThatThrownBy(() -> SwarmManifest.decode(odd)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void chunkSizesGrowToKeepManifestsSmall() {
        assertThat(SwarmManifest.chunkSizeFor(100L << 20)).isEqualTo(SwarmManifest.DEFAULT_CHUNK);
        assertThat(SwarmManifest.chunkSizeFor(4L << 30)).isEqualTo(128 << 10);
        assertThat(SwarmManifest.chunkSizeFor((4L << 30) + 1)).isEqualTo(256 << 10);
        assertThatThrownBy(() -> SwarmManifest.chunkSizeFor(1L << 40)).isInstanceOf(IllegalArgumentException.class);
    }
}
