package io.rtmfp4j.flash.group.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.wire.WireFormatException;
import java.util.Arrays;
import java.util.function.Function;

/** What the property tests of the group wires do with hostile bytes. */
public final class HostileBytes {
    private HostileBytes() {
    }

    /**
     * A valid encoding with the byte at {@code position} (modulo its length) changed to {@code value},
     * or cut off there: a way to reach deep into each reader.
     */
    public static byte[] damaged(byte[] encoded, int position, byte value, boolean cut) {
        int at = Math.floorMod(position, encoded.length);
        if (cut) {
            return Arrays.copyOf(encoded, at);
        }
        byte[] bytes = encoded.clone();
        bytes[at] = value;
        return bytes;
    }

    /**
     * Asserts that {@code bytes} either decode to a message that means the same when re-encoded and
     * read again, or fail with a {@link WireFormatException} that says why; nothing else escapes.
     */
    public static <T> void decodeOrRefuse(byte[] bytes, Function<byte[], T> decode, Function<T, byte[]> encode) {
        T m;
        try {
            m = decode.apply(bytes);
        } catch (WireFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return;
        }
        assertThat(decode.apply(encode.apply(m))).isEqualTo(m);
    }
}
