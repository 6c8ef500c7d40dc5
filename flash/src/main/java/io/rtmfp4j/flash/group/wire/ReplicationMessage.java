package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The messages of this project's object replication (netgroup spec §11, §16), on flows opened only
 * toward neighbors known to run this project; Flash's own replication wire is not public. Control
 * travels on {@link GroupFlow#PRIVATE_REPLICATION} ({@code GR F2}), objects on
 * {@link GroupFlow#PRIVATE_OBJECTS} ({@code GR F3}) below it, so that announcements, requests and
 * denials never wait behind objects of 64 KB:
 *
 * <pre>
 * 01 VLU(n) n × range           the sender's whole Have set (spec §16's O1)
 * 02 VLU(n) n × range           indices the sender now has as well (a delta: this project's addition)
 * 03 VLU(requestId) VLU(index)  a request (O2)
 * 04 VLU(requestId) VLU(index)  a denial (O4)
 * 05 VLU(requestId) VLU(index) &lt;AMF3 object&gt;   the object requested (O3), on GR F3
 * range = VLU(gap) VLU(last - first)
 * </pre>
 *
 * Ranges are in ascending order, without overlap; {@code gap} is the first index of the first
 * range, and for the others how far the range starts past the end of the one before (0 = right
 * after it). Deltas spare a member that gets one object after another from sending its whole,
 * perhaps fragmented, set each time: the flow is reliable and ordered, so a set sent once and its
 * deltas are the set.
 */
public sealed interface ReplicationMessage {
    int HAVE = 0x01;
    int HAVE_MORE = 0x02;
    int REQUEST = 0x03;
    int DENY = 0x04;
    int OBJECT = 0x05;
    /**
     * Ranges in one message, at most: a set as fragmented as this is already 256 KB on the wire,
     * and a receiver bounds what one neighbor makes it hold.
     */
    int MAX_RANGES = 65_536;

    byte[] encode();

    /** The sender's whole Have set; an empty list says it has nothing. */
    record Have(List<IndexRange> ranges) implements ReplicationMessage {
        public Have {
            ranges = checkRanges(ranges, true);
        }

        @Override
        public byte[] encode() {
            return writeRanges(HAVE, ranges);
        }
    }

    /** Indices the sender has now, besides those it said before. */
    record HaveMore(List<IndexRange> ranges) implements ReplicationMessage {
        public HaveMore {
            ranges = checkRanges(ranges, false);
        }

        @Override
        public byte[] encode() {
            return writeRanges(HAVE_MORE, ranges);
        }
    }

    /** "Send me object {@code index}"; the answer names {@code requestId}. */
    record Request(int requestId, long index) implements ReplicationMessage {
        public Request {
            checkIds(requestId, index);
        }

        @Override
        public byte[] encode() {
            return new ByteWriter(16).u8(REQUEST).vlu(requestId).vlu(index).toByteArray();
        }
    }

    /** "You will not get object {@code index} from me" for request {@code requestId}. */
    record Deny(int requestId, long index) implements ReplicationMessage {
        public Deny {
            checkIds(requestId, index);
        }

        @Override
        public byte[] encode() {
            return new ByteWriter(16).u8(DENY).vlu(requestId).vlu(index).toByteArray();
        }
    }

    /** Object {@code index}, in AMF3, answering request {@code requestId}. */
    record ObjectData(int requestId, long index, byte[] object) implements ReplicationMessage {
        public ObjectData {
            checkIds(requestId, index);
        }

        @Override
        public byte[] encode() {
            return new ByteWriter(16 + object.length).u8(OBJECT).vlu(requestId).vlu(index).bytes(object)
                    .toByteArray();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ObjectData d && requestId == d.requestId && index == d.index
                    && Arrays.equals(object, d.object);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(index) * 31 + requestId;
        }

        @Override
        public String toString() {
            return "ObjectData[request " + requestId + ", index " + index + ", " + object.length + " bytes]";
        }
    }

    /**
     * Reads a message of either replication flow.
     *
     * @throws WireFormatException if it is empty, of an unknown type or malformed
     */
    public static ReplicationMessage decode(byte[] message) {
        ByteReader r = new ByteReader(message);
        int type = r.u8();
        switch (type) {
            case HAVE -> {
                return new Have(readRanges(r));
            }
            case HAVE_MORE -> {
                List<IndexRange> ranges = readRanges(r);
                if (ranges.isEmpty()) {
                    throw new WireFormatException("replication: an empty have-more");
                }
                return new HaveMore(ranges);
            }
            case REQUEST, DENY, OBJECT -> {
                int requestId = r.vluInt();
                long index = r.vlu();
                if (index > IndexRange.MAX_INDEX) {
                    throw new WireFormatException("replication: index " + index + " beyond 2^53");
                }
                if (type == OBJECT) {
                    return new ObjectData(requestId, index, r.rest());
                }
                if (r.hasRemaining()) {
                    throw new WireFormatException("replication: " + r.remaining() + " bytes after a request");
                }
                return type == REQUEST ? new Request(requestId, index) : new Deny(requestId, index);
            }
            default -> throw new WireFormatException("unknown replication message type " + String.format("%02x", type));
        }
    }

    private static void checkIds(int requestId, long index) {
        if (requestId < 0 || index < 0 || index > IndexRange.MAX_INDEX) {
            throw new IllegalArgumentException("request ID >= 0 and index in 0..2^53, not " + requestId + ", " + index);
        }
    }

    private static List<IndexRange> checkRanges(List<IndexRange> ranges, boolean mayBeEmpty) {
        if ((ranges.isEmpty() && !mayBeEmpty) || ranges.size() > MAX_RANGES) {
            throw new IllegalArgumentException((mayBeEmpty ? 0 : 1) + " to " + MAX_RANGES + " ranges, got "
                    + ranges.size());
        }
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i).first() <= ranges.get(i - 1).last()) {
                throw new IllegalArgumentException("ranges must ascend without overlap: " + ranges);
            }
        }
        return List.copyOf(ranges);
    }

    private static byte[] writeRanges(int type, List<IndexRange> ranges) {
        ByteWriter w = new ByteWriter(4 + ranges.size() * 4).u8(type).vlu(ranges.size());
        long next = 0;
        for (IndexRange range : ranges) {
            w.vlu(range.first() - next).vlu(range.last() - range.first());
            next = range.last() + 1;
        }
        return w.toByteArray();
    }

    private static List<IndexRange> readRanges(ByteReader r) {
        int n = r.vluInt();
        // Each range takes two bytes at least: a count beyond that is a lie, refused before allocating.
        if (n > MAX_RANGES || n > r.remaining() / 2) {
            throw new WireFormatException("replication: " + n + " ranges in " + r.remaining() + " bytes");
        }
        List<IndexRange> ranges = new ArrayList<>(n);
        long next = 0;
        for (int i = 0; i < n; i++) {
            long gap = r.vlu();
            long span = r.vlu();
            if (gap > IndexRange.MAX_INDEX - next || span > IndexRange.MAX_INDEX - next - gap) {
                throw new WireFormatException("replication: a range beyond 2^53");
            }
            long first = next + gap;
            ranges.add(new IndexRange(first, first + span));
            next = first + span + 1;
        }
        if (r.hasRemaining()) {
            throw new WireFormatException("replication: " + r.remaining() + " bytes after the ranges");
        }
        return ranges;
    }
}
