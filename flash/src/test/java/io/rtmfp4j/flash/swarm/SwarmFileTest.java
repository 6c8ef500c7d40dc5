package io.rtmfp4j.flash.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A swarm's file on disk: written chunk by chunk into FILE.part, resumable, renamed once whole. */
class SwarmFileTest {
    static final int CHUNK = 1024;

    @TempDir
    Path dir;

    final byte[] content = new byte[10 * CHUNK + 100];
    final SwarmManifest manifest;

    SwarmFileTest() {
        new Random(7).nextBytes(content);
        manifest = SwarmManifest.of(content, CHUNK);
    }

    byte[] chunk(int c) {
        return Arrays.copyOfRange(content, c * CHUNK, Math.min(content.length, (c + 1) * CHUNK));
    }

    @Test
    void aSharedFileHoldsEveryChunkAndReadsThem() throws IOException {
        Path file = Files.write(dir.resolve("f"), content);
        assertThat(SwarmManifest.of(file)).isEqualTo(SwarmManifest.of(content, SwarmManifest.DEFAULT_CHUNK));
        try (SwarmFile shared = SwarmFile.shared(file, manifest)) {
            assertThat(shared.held().cardinality()).isEqualTo(11);
            assertThat(shared.read(10)).isEqualTo(chunk(10));
        }
        Files.write(file, Arrays.copyOf(content, content.length - 1));
        assertThatThrownBy(() -> SwarmFile.shared(file, manifest)).isInstanceOf(IOException.class);
    }

    @Test
    void aDownloadResumesFromTheChunksOfItsPartThatMatchAndBecomesTheFileWhenWhole() throws IOException {
        Path target = dir.resolve("got");
        try (SwarmFile first = SwarmFile.download(target, manifest)) {
            assertThat(first.held().isEmpty()).isTrue();
            first.write(0, chunk(0));
            first.write(3, chunk(3));
            first.write(10, chunk(10));
            first.write(5, chunk(5));
        }
        Path part = dir.resolve("got" + SwarmFile.PART_SUFFIX);
        assertThat(target).doesNotExist();
        // Chunk 5 damaged on disk after it was written (or half written when the download stopped).
        byte[] bytes = Files.readAllBytes(part);
        bytes[5 * CHUNK + 17] ^= 0x40;
        Files.write(part, bytes);

        try (SwarmFile resumed = SwarmFile.download(target, manifest)) {
            BitSet expected = new BitSet();
            expected.set(0);
            expected.set(3);
            expected.set(10);
            assertThat(resumed.held()).isEqualTo(expected);
            for (int c = 0; c < manifest.chunkCount(); c++) {
                if (!expected.get(c)) {
                    resumed.write(c, chunk(c));
                }
            }
            resumed.complete();
            assertThat(resumed.path()).isEqualTo(target);
            assertThat(resumed.read(4)).isEqualTo(chunk(4));
        }
        assertThat(part).doesNotExist();
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        // Fetched again into the same place: the whole file is recognised and kept.
        try (SwarmFile again = SwarmFile.download(target, manifest)) {
            assertThat(again.held().cardinality()).isEqualTo(manifest.chunkCount());
        }
    }

    @Test
    void aDifferentFileOfTheSameNameIsNeverOverwritten() throws IOException {
        Path target = Files.write(dir.resolve("other"), new byte[content.length]);
        assertThatThrownBy(() -> SwarmFile.download(target, manifest)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(target)).isEqualTo(new byte[content.length]);
    }
}
