package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Option;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Next User Data (RFC 7016 §2.3.12): {@code flags u8 || [options iff OPT] || data rest}. Saves
 * the header VLUs when several fragments of one flow share a packet: it continues the preceding
 * (Next) User Data chunk of the same packet with the same flow, sequence number + 1 and the same
 * forward sequence number. Flag bits are those of {@link UserData}.
 */
public record NextUserData(int flags, List<Option> options, byte[] data) implements Chunk {

    public NextUserData {
        options = UserData.checkOptions(flags, options);
        Objects.requireNonNull(data, "data");
    }

    static NextUserData decode(ByteReader r) {
        int flags = r.u8();
        List<Option> options = UserData.decodeOptions(flags, r);
        return new NextUserData(flags, options, r.rest());
    }

    @Override
    public int type() {
        return ChunkType.NEXT_USER_DATA;
    }

    @Override
    public int bodySize() {
        return 1 + UserData.optionsSize(flags, options) + data.length;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.u8(flags);
        UserData.encodeOptions(w, flags, options);
        w.bytes(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NextUserData other && flags == other.flags && options.equals(other.options)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flags, options, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "NextUserData[flags=0x" + Integer.toHexString(flags) + ", options=" + options
                + ", data=" + Hex.encode(data) + "]";
    }
}
