package io.rtmfp4j.flash.store;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.GroupAddress;

/**
 * What {@link GroupStore} members send each other, each as the body of a directed message
 * ({@code sendToNearest}, netgroup spec §10) in a group kept for the store. This project's own
 * wire (provisional, as spec §16's):
 *
 * <pre>
 * 01 store    VLU(requestId) &lt;32-byte origin&gt; &lt;flags: 01 = replica&gt; &lt;entry&gt;
 * 02 stored   VLU(requestId) VLU(hops) &lt;outcome&gt;
 * 03 get      VLU(requestId) &lt;32-byte origin&gt; &lt;flags: 01 = from the root&gt; VLU(hops) VLU(n) &lt;n-byte key&gt;
 * 04 found    VLU(requestId) VLU(hops) &lt;entry&gt;
 * 05 missing  VLU(requestId) VLU(hops) VLU(asked)
 * </pre>
 *
 * The origin is the group address answers are routed to; hops count the way the request took.
 */
public sealed interface StoreMessage {
    /** The longest a hop count can honestly be: routing stops a message after 64 hops. */
    int MAX_HOPS = 1024;

    byte[] encode();

    /** A request id: answers carry it back to the request. */
    int requestId();

    /**
     * An entry to keep: a writer's, routed to the key's address ({@code replica} false: the member
     * there keeps it, passes it to the others nearest and answers with {@link Stored}), or a copy
     * one holder passes to another ({@code replica} true: kept, not answered).
     */
    record Store(int requestId, GroupAddress origin, boolean replica, StoreEntry entry) implements StoreMessage {
        static final int TYPE = 0x01;

        @Override
        public byte[] encode() {
            return entry.encodeTo(new ByteWriter().u8(TYPE).vlu(requestId).bytes(origin.bytes()).u8(replica ? 1 : 0))
                    .toByteArray();
        }
    }

    /** What the member nearest the key did with a writer's entry. */
    record Stored(int requestId, int hops, StoreOutcome outcome) implements StoreMessage {
        static final int TYPE = 0x02;

        @Override
        public byte[] encode() {
            return new ByteWriter().u8(TYPE).vlu(requestId).vlu(hops).u8(outcome.ordinal()).toByteArray();
        }
    }

    /**
     * A lookup of {@code key}, routed to its address; or ({@code fromRoot}) the same passed on by
     * the member there, which lacks the entry, to the other members nearest, who answer only if
     * they have it. {@code hops}: those the lookup took before this message.
     */
    record Get(int requestId, GroupAddress origin, boolean fromRoot, int hops, String key) implements StoreMessage {
        static final int TYPE = 0x03;

        @Override
        public byte[] encode() {
            return new ByteWriter().u8(TYPE).vlu(requestId).bytes(origin.bytes()).u8(fromRoot ? 1 : 0).vlu(hops)
                    .field(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toByteArray();
        }
    }

    /** The entry a lookup found, after {@code hops} hops. */
    record Found(int requestId, int hops, StoreEntry entry) implements StoreMessage {
        static final int TYPE = 0x04;

        @Override
        public byte[] encode() {
            return entry.encodeTo(new ByteWriter().u8(TYPE).vlu(requestId).vlu(hops)).toByteArray();
        }
    }

    /**
     * The member nearest the key has no entry for it; it asked {@code asked} others, who answer
     * with {@link Found} if they have one.
     */
    record Missing(int requestId, int hops, int asked) implements StoreMessage {
        static final int TYPE = 0x05;

        @Override
        public byte[] encode() {
            return new ByteWriter().u8(TYPE).vlu(requestId).vlu(hops).vlu(asked).toByteArray();
        }
    }

    /**
     * Reads any store message.
     *
     * @throws WireFormatException if the bytes are not one
     */
    static StoreMessage decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int type = r.u8();
        int requestId = r.vluInt();
        StoreMessage m = switch (type) {
            case Store.TYPE -> new Store(requestId, address(r), flag(r), StoreEntry.read(r));
            case Stored.TYPE -> new Stored(requestId, hops(r), outcome(r.u8()));
            case Get.TYPE -> {
                GroupAddress origin = address(r);
                boolean fromRoot = flag(r);
                int hops = hops(r);
                yield new Get(requestId, origin, fromRoot, hops, key(r));
            }
            case Found.TYPE -> new Found(requestId, hops(r), StoreEntry.read(r));
            case Missing.TYPE -> new Missing(requestId, hops(r), small(r.vluInt(), "asked"));
            default -> throw new WireFormatException("store message: unknown type " + type);
        };
        if (r.hasRemaining()) {
            throw new WireFormatException("store message: " + r.remaining() + " bytes after it");
        }
        return m;
    }

    private static GroupAddress address(ByteReader r) {
        return new GroupAddress(r.bytes(GroupAddress.LENGTH));
    }

    private static boolean flag(ByteReader r) {
        int f = r.u8();
        if (f > 1) {
            throw new WireFormatException("store message: unknown flags " + f);
        }
        return f == 1;
    }

    private static int hops(ByteReader r) {
        return small(r.vluInt(), "hops");
    }

    private static int small(int v, String what) {
        if (v > MAX_HOPS) {
            throw new WireFormatException("store message: " + what + " " + v + " out of range");
        }
        return v;
    }

    private static StoreOutcome outcome(int b) {
        if (b >= StoreOutcome.values().length) {
            throw new WireFormatException("store message: unknown outcome " + b);
        }
        return StoreOutcome.values()[b];
    }

    private static String key(ByteReader r) {
        int n = r.vluInt();
        if (n == 0 || n > StoreEntry.MAX_KEY) {
            throw new WireFormatException("store message: key of " + n + " bytes");
        }
        return StoreEntry.utf8(r.bytes(n));
    }
}
