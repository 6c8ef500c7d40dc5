package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Vlu;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The fragments a neighbor holds of a multicast stream (type 22 on a {@link GroupFlow#MEDIA_REPORT}
 * flow, netgroup spec §8.3): {@code 22 VLU(latest) bitmap}, where bit b (LSB first) of bitmap byte
 * k says whether fragment {@code latest − 1 − (8k + b)} is held; the latest is always held. After
 * the stream ended, the id is the end id of {@link StreamEnd}.
 *
 * <p>Any bitmap length is read (librtmfp's 1024-byte limit is not enforced, spec §8.3).
 * librtmfp relays do not set bits for ids below 8, so a caller should not trust those from them.
 *
 * @param latestId the newest fragment held
 * @param bitmap the older fragments held, newest first
 */
public record FragmentsMap(long latestId, byte[] bitmap) implements GroupMessage {
    public static final int TYPE = 0x22;
    /** The largest map this project writes: 8192 fragments behind the latest (librtmfp's limit). */
    public static final int MAX_BITMAP_BYTES = 1024;

    public FragmentsMap {
        if (latestId < 0) {
            throw new IllegalArgumentException("fragment id must be non-negative: " + latestId);
        }
        bitmap = bitmap.clone();
    }

    /**
     * The map of a holder of {@code latestId} and of those ids from {@code oldestId} up for which
     * {@code held} is true, cut at {@link #MAX_BITMAP_BYTES}.
     */
    public static FragmentsMap of(long latestId, long oldestId, LongPredicate held) {
        long behind = Math.max(0, Math.min(latestId - oldestId, 8L * MAX_BITMAP_BYTES));
        byte[] bits = new byte[(int) ((behind + 7) / 8)];
        for (long i = 0; i < behind; i++) {
            if (held.test(latestId - 1 - i)) {
                bits[(int) (i / 8)] |= (byte) (1 << (i % 8));
            }
        }
        return new FragmentsMap(latestId, bits);
    }

    @Override
    public byte[] bitmap() {
        return bitmap.clone();
    }

    /** Whether the sender holds fragment {@code id}. */
    public boolean holds(long id) {
        if (id == latestId) {
            return true;
        }
        if (id > latestId || id < 0) {
            return false;
        }
        long behind = latestId - 1 - id;
        return behind / 8 < bitmap.length && (bitmap[(int) (behind / 8)] & (1 << (behind % 8))) != 0;
    }

    @Override
    public byte[] encode() {
        return new ByteWriter(1 + Vlu.MAX_BYTES + bitmap.length).u8(TYPE).vlu(latestId).bytes(bitmap).toByteArray();
    }

    public static FragmentsMap decode(byte[] message) {
        ByteReader r = GroupWire.body(message, TYPE, "fragments map");
        return new FragmentsMap(r.vlu(), r.rest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FragmentsMap m && m.latestId == latestId && Arrays.equals(m.bitmap, bitmap);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(latestId) * 31 + Arrays.hashCode(bitmap);
    }

    @Override
    public String toString() {
        return "FragmentsMap[latest=" + latestId + ", bitmap=" + Hex.encode(bitmap) + "]";
    }
}
