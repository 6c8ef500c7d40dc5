package io.rtmfp4j.flash.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartialFileTest {
    @TempDir
    Path dir;

    private final byte[] content = new byte[100_000];
    private final FileOffer offer;

    PartialFileTest() {
        new Random(7).nextBytes(content);
        offer = new FileOffer("data.bin", content.length, Hex.encode(FileDigest.newSha256().digest(content)));
    }

    private void write(PartialFile part, int from, int to) throws Exception {
        part.write(from, Arrays.copyOfRange(content, from, to));
    }

    @Test
    void aCompletePartWithTheRightDigestBecomesTheFile() throws Exception {
        PartialFile part = PartialFile.open(dir, offer);
        assertThat(part.position()).isZero();
        write(part, 0, 40_000);
        write(part, 40_000, content.length);

        assertThat(part.isComplete()).isTrue();
        Path file = part.finish();

        assertThat(file).isEqualTo(dir.resolve("data.bin"));
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(dir.resolve("data.bin.part")).doesNotExist();
        assertThat(dir.resolve("data.bin.part.state")).doesNotExist();
    }

    @Test
    void theSameOfferResumesAfterTheKeptBytesAndTheDigestCoversThem() throws Exception {
        PartialFile first = PartialFile.open(dir, offer);
        write(first, 0, 30_000);
        first.close();

        PartialFile second = PartialFile.open(dir, offer);
        assertThat(second.resumedAt()).isEqualTo(30_000);
        write(second, 30_000, content.length);

        assertThat(Files.readAllBytes(second.finish())).isEqualTo(content);
    }

    @Test
    void anotherFileOfTheSameNameStartsOver() throws Exception {
        PartialFile first = PartialFile.open(dir, offer);
        write(first, 0, 30_000);
        first.close();
        FileOffer other = new FileOffer("data.bin", content.length, "00".repeat(32));

        PartialFile second = PartialFile.open(dir, other);

        assertThat(second.resumedAt()).isZero();
        assertThat(Files.size(dir.resolve("data.bin.part"))).isZero();
        assertThat(Files.readString(dir.resolve("data.bin.part.state"))).contains("00".repeat(32));
        second.close();
    }

    @Test
    void aPartWithoutItsStateIsNotTrusted() throws Exception {
        PartialFile first = PartialFile.open(dir, offer);
        write(first, 0, 30_000);
        first.close();
        Files.delete(dir.resolve("data.bin.part.state"));

        PartialFile second = PartialFile.open(dir, offer);

        assertThat(second.resumedAt()).isZero();
        second.close();
    }

    @Test
    void chunksOutOfOrderOrPastTheEndAreRejected() throws Exception {
        PartialFile part = PartialFile.open(dir, offer);
        write(part, 0, 1000);

        assertThatThrownBy(() -> write(part, 2000, 3000)).hasMessageContaining("a chunk at 2000 where 1000");
        assertThatThrownBy(() -> part.write(1000, new byte[content.length])).hasMessageContaining("past the offered size");
        assertThat(part.position()).isEqualTo(1000);
        part.close();
    }

    @Test
    void aDigestMismatchDeletesThePart() throws Exception {
        PartialFile part = PartialFile.open(dir, offer);
        byte[] corrupt = content.clone();
        corrupt[5000] ^= 1;
        part.write(0, corrupt);

        assertThatThrownBy(part::finish).isInstanceOf(PartialFile.DigestMismatchException.class)
                .hasMessageContaining("SHA-256 mismatch")
                .message().doesNotContain("kept from an earlier transfer");
        try (var listing = Files.list(dir)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void aMismatchAfterAResumeSaysHowManyBytesWereKept() throws Exception {
        PartialFile first = PartialFile.open(dir, offer);
        byte[] corrupt = Arrays.copyOfRange(content, 0, 30_000);
        corrupt[10] ^= 1;
        first.write(0, corrupt);
        first.close();

        PartialFile second = PartialFile.open(dir, offer);
        write(second, 30_000, content.length);

        assertThatThrownBy(second::finish).isInstanceOf(PartialFile.DigestMismatchException.class)
                .hasMessageContaining("the first 30000 bytes were kept from an earlier transfer")
                .hasMessageEndingWith("the part is deleted, so sending again starts over");
        try (var listing = Files.list(dir)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void aFileThatAppearedDuringTheTransferIsNotOverwritten() throws Exception {
        PartialFile part = PartialFile.open(dir, offer);
        write(part, 0, content.length);
        Files.writeString(dir.resolve("data.bin"), "mine");

        assertThatThrownBy(part::finish).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(dir.resolve("data.bin"))).isEqualTo("mine");
        assertThat(dir.resolve("data.bin.part")).exists();
    }

    @Test
    void anIdenticalFileIsAlreadyReceivedAndADifferentOneIsInTheWay() throws Exception {
        assertThat(PartialFile.alreadyReceived(dir, offer)).isFalse();
        Files.write(dir.resolve("data.bin"), content);
        assertThat(PartialFile.alreadyReceived(dir, offer)).isTrue();

        Files.write(dir.resolve("data.bin"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> PartialFile.alreadyReceived(dir, offer)).isInstanceOf(FileAlreadyExistsException.class);
    }
}
