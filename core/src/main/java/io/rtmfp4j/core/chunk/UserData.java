package io.rtmfp4j.core.chunk;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Option;
import io.rtmfp4j.core.wire.Vlu;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * User Data (RFC 7016 §2.3.11): {@code flags u8 || flowId VLU || sequenceNumber VLU ||
 * fsnOffset VLU || [options, marker-terminated, iff OPT] || data rest}.
 *
 * <p>The forward sequence number {@code sequenceNumber - fsnOffset} tells the receiver that
 * nothing at or below it will be (re)sent, so it may stop waiting for it.
 */
public record UserData(int flags, long flowId, long sequenceNumber, long fsnOffset, List<Option> options,
        byte[] data) implements Chunk {

    /** An option list follows the header. */
    public static final int OPT = 0x80;
    /** Fragmentation control bits; one of the FRA_ values below. */
    public static final int FRA_MASK = 0x30;
    public static final int FRA_WHOLE = 0x00;
    public static final int FRA_BEGIN = 0x10;
    public static final int FRA_END = 0x20;
    public static final int FRA_MIDDLE = 0x30;
    /** Abandoned: this sequence number carries no data and will not be retransmitted. */
    public static final int ABN = 0x02;
    /** Final sequence number of the flow. */
    public static final int FIN = 0x01;

    /** Per-flow metadata, the flow's "signature" (RFC 7016 §2.3.11.1). */
    public static final long OPTION_METADATA = 0x00;
    /** Return flow association: a flow ID received from the same far end (RFC 7016 §2.3.11.1). */
    public static final long OPTION_RETURN_ASSOCIATION = 0x0a;
    /** Unknown option types below this are mandatory and force rejecting the flow. */
    public static final long OPTION_MANDATORY_CUTOFF = 0x2000;

    public UserData {
        options = checkOptions(flags, options);
        Objects.requireNonNull(data, "data");
        if (flowId < 0 || sequenceNumber < 0 || fsnOffset < 0) {
            throw new IllegalArgumentException("flow ID, sequence number and FSN offset must be non-negative");
        }
        if (fsnOffset > sequenceNumber) {
            throw new IllegalArgumentException("fsnOffset " + fsnOffset + " > sequenceNumber " + sequenceNumber);
        }
    }

    /** Flags must fit a byte and options may only be present when OPT says so. */
    static List<Option> checkOptions(int flags, List<Option> options) {
        if ((flags & ~0xff) != 0) {
            throw new IllegalArgumentException("flags must fit in a byte: " + flags);
        }
        List<Option> copy = List.copyOf(options);
        if ((flags & OPT) == 0 && !copy.isEmpty()) {
            throw new IllegalArgumentException("options require the OPT flag");
        }
        return copy;
    }

    static List<Option> decodeOptions(int flags, ByteReader r) {
        return (flags & OPT) != 0 ? Option.decodeList(r) : List.of();
    }

    static int optionsSize(int flags, List<Option> options) {
        return (flags & OPT) != 0 ? Option.encodedListSize(options, true) : 0;
    }

    static void encodeOptions(ByteWriter w, int flags, List<Option> options) {
        if ((flags & OPT) != 0) {
            Option.encodeList(w, options, true);
        }
    }

    static UserData decode(ByteReader r) {
        int flags = r.u8();
        long flowId = r.vlu();
        long sequenceNumber = r.vlu();
        long fsnOffset = r.vlu();
        List<Option> options = decodeOptions(flags, r);
        return new UserData(flags, flowId, sequenceNumber, fsnOffset, options, r.rest());
    }

    /** Forward sequence number: everything at or below it is delivered or abandoned. */
    public long forwardSequenceNumber() {
        return sequenceNumber - fsnOffset;
    }

    public int fragmentation() {
        return flags & FRA_MASK;
    }

    public boolean abandoned() {
        return (flags & ABN) != 0;
    }

    public boolean finalSequence() {
        return (flags & FIN) != 0;
    }

    @Override
    public int type() {
        return ChunkType.USER_DATA;
    }

    @Override
    public int bodySize() {
        return 1 + Vlu.size(flowId) + Vlu.size(sequenceNumber) + Vlu.size(fsnOffset)
                + optionsSize(flags, options) + data.length;
    }

    @Override
    public void encodeBody(ByteWriter w) {
        w.u8(flags).vlu(flowId).vlu(sequenceNumber).vlu(fsnOffset);
        encodeOptions(w, flags, options);
        w.bytes(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserData other && flags == other.flags && flowId == other.flowId
                && sequenceNumber == other.sequenceNumber && fsnOffset == other.fsnOffset
                && options.equals(other.options) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flags, flowId, sequenceNumber, fsnOffset, options, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "UserData[flags=0x" + Integer.toHexString(flags) + ", flowId=" + flowId + ", sequenceNumber="
                + sequenceNumber + ", fsnOffset=" + fsnOffset + ", options=" + options + ", data=" + Hex.encode(data) + "]";
    }
}
