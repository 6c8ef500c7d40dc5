package io.rtmfp4j.flash.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed entries and the rules a holder keeps them by. */
class EntryTableTest {
    private static final WriterKey ALICE = WriterKey.generate();
    private static final WriterKey MALLORY = WriterKey.generate();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSignedEntryVerifiesAndAnyChangeBreaksIt() {
        StoreEntry e = StoreEntry.sign(ALICE, "colour", 5, bytes("blue"));
        assertThat(e.verified()).isTrue();
        assertThat(StoreEntry.decode(e.encode()).verified()).isTrue();
        assertThat(new StoreEntry("colour", e.writer(), 5, false, bytes("red"), e.signature()).verified()).isFalse();
        assertThat(new StoreEntry("colour", e.writer(), 6, false, bytes("blue"), e.signature()).verified()).isFalse();
        assertThat(new StoreEntry("colour", e.writer(), 5, true, new byte[0], e.signature()).verified()).isFalse();
        assertThat(new StoreEntry("colours", e.writer(), 5, false, bytes("blue"), e.signature()).verified()).isFalse();
        // Mallory's key with Alice's signature, and a key that is not a point at all.
        assertThat(new StoreEntry("colour", MALLORY.publicKey(), 5, false, bytes("blue"), e.signature()).verified())
                .isFalse();
        byte[] notAKey = new byte[32];
        java.util.Arrays.fill(notAKey, (byte) 0xff);
        assertThat(new StoreEntry("colour", notAKey, 5, false, bytes("blue"), e.signature()).verified()).isFalse();
    }

    @Test
    void theFirstWriterOwnsAKeyAndOnlyItsNewerVersionsReplace() {
        EntryTable t = new EntryTable(10);
        StoreEntry v5 = StoreEntry.sign(ALICE, "k", 5, bytes("five"));
        assertThat(t.offer(v5)).isEqualTo(StoreOutcome.STORED);
        // The same entry again (a retry whose answer was lost) is stored: it is.
        assertThat(t.offer(v5)).isEqualTo(StoreOutcome.STORED);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.offer(StoreEntry.sign(ALICE, "k", 4, bytes("four")))).isEqualTo(StoreOutcome.STALE);
        assertThat(t.offer(StoreEntry.sign(MALLORY, "k", 99, bytes("mine")))).isEqualTo(StoreOutcome.OTHER_WRITER);
        StoreEntry gone = StoreEntry.sign(ALICE, "k", 6, null);
        assertThat(t.offer(gone)).isEqualTo(StoreOutcome.STORED);
        assertThat(t.get("k")).isEqualTo(gone);
        assertThat(t.get("k").removed()).isTrue();
        // A forged newer version of Alice's: her key, someone else's signature.
        StoreEntry m = StoreEntry.sign(MALLORY, "k", 7, bytes("forged"));
        StoreEntry forged = new StoreEntry("k", ALICE.publicKey(), 7, false, bytes("forged"), m.signature());
        assertThat(t.offer(forged)).isEqualTo(StoreOutcome.FORGED);
        assertThat(t.get("k")).isEqualTo(gone);
    }

    @Test
    void aFullTableRefusesNewKeysButTakesNewVersions() {
        EntryTable t = new EntryTable(2);
        assertThat(t.offer(StoreEntry.sign(ALICE, "a", 1, bytes("1")))).isEqualTo(StoreOutcome.STORED);
        assertThat(t.offer(StoreEntry.sign(ALICE, "b", 1, bytes("1")))).isEqualTo(StoreOutcome.STORED);
        assertThat(t.offer(StoreEntry.sign(ALICE, "c", 1, bytes("1")))).isEqualTo(StoreOutcome.FULL);
        assertThat(t.offer(StoreEntry.sign(ALICE, "b", 2, bytes("2")))).isEqualTo(StoreOutcome.STORED);
        assertThat(t.size()).isEqualTo(2);
    }

    @Test
    void aWriterKeyFileKeepsTheWriterAndAWrongOneIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("writer.key");
        WriterKey first = WriterKey.loadOrCreate(file);
        WriterKey again = WriterKey.loadOrCreate(file);
        assertThat(again.publicKey()).isEqualTo(first.publicKey());
        assertThat(StoreEntry.sign(again, "k", 1, bytes("v")).verified()).isTrue();
        Files.writeString(file, Files.readAllLines(file).get(0) + "\n" + "00".repeat(32) + "\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WriterKey.loadOrCreate(file))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("does not hold a writer key");
        Files.writeString(file, "not a key\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WriterKey.loadOrCreate(file))
                .isInstanceOf(java.io.IOException.class);
    }
}
