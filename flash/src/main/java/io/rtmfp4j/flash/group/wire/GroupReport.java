package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.net.PeerIds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The group report (type 0a, netgroup spec §6), the overlay's topology exchange on the
 * {@link GroupFlow#REPORT} flow: the address the sender sees the receiver at, the sender's own
 * addresses, and members the receiver may want as neighbors, as librtmfp writes it:
 *
 * <pre>
 * 0a  L1 0d &lt;receiver's address&gt;  L2 0a &lt;sender's addresses&gt;  00
 *     ( 22 21 0f &lt;peer ID&gt;  VLU(seconds since last heard)  L3 0a &lt;its addresses&gt;  00 )*
 * </pre>
 *
 * The reader follows librtmfp's rules: it skips one-byte options ({@code 01 xx}) before the
 * {@code 0d} one and does not check L1 (librtmfp writes it as a raw byte and never reads it);
 * it reads an address list length that starts with a byte above 0x81 as one byte, librtmfp's
 * guard against writers of 8-bit lengths; it reads entries while more than 4 bytes remain, and
 * stops at the first that is malformed, keeping those before it. Entries of any age are returned:
 * ignoring those heard of 300 s ago or more, and entries for oneself, is the caller's job.
 *
 * <p>Each address list holds at most {@link #MAX_ADDRESSES}: a member's 7 addresses and its
 * server's (spec §15). Lists of more are cut there when read. At most 8 IPv6 addresses make a list
 * of 153 bytes, whose VLU length librtmfp reads correctly; a reader of plain 8-bit lengths would
 * too. Keep lists under 128 bytes (6 IPv6 addresses) for readers that are neither (spec §6).
 *
 * @param observedAddress the receiver's address as the sender sees it (origin {@code OBSERVED})
 * @param senderAddresses the sender's server address (origin {@code RELAY}, spec §0's
 *     "redirection") and its own addresses
 * @param entries members the sender advertises
 * @param flags the types of the empty options ({@code 01 xx}) before the observed address, which
 *     librtmfp skips: Flash writes some there, and this project marks its own peers with
 *     {@link #RTMFP4J_EXTENSIONS}
 */
public record GroupReport(Address observedAddress, List<Address> senderAddresses, List<Entry> entries,
        Set<Integer> flags) implements GroupMessage {
    public static final int TYPE = 0x0a;
    /** A member's 7 addresses and its server's (spec §15, librtmfp's RTMFP_MAX_ADDRESSES + 1). */
    public static final int MAX_ADDRESSES = 8;
    /** Entries heard of this long ago or more are ignored by receivers (spec §6, §15). */
    public static final long MAX_ELAPSED_SECONDS = 300;
    /**
     * The flag by which a peer says it runs this project and takes its private posting, routing
     * and replication flows (spec §16: open them only toward peers known to be ours).
     */
    public static final int RTMFP4J_EXTENSIONS = 0x7e;

    private static final int OBSERVED_OPTION = 0x0d;
    private static final int ADDRESSES_OPTION = 0x0a;
    private static final int FLAG_OPTION_LENGTH = 0x01;
    private static final int EPD_LENGTH = 0x22;
    /** librtmfp reads entries only while more than this many bytes remain. */
    private static final int ENTRY_MIN_REMAINING = 4;
    /** A first length byte above this is taken as a whole one-byte length (librtmfp's guard). */
    private static final int EIGHT_BIT_LENGTH_ABOVE = 0x81;

    /**
     * One advertised member.
     *
     * @param peerId 64 lowercase hex digits
     * @param elapsedSeconds seconds since the sender last heard of it (0 if it does not know)
     * @param addresses its server address (origin {@code RELAY}) if known and its addresses
     */
    public record Entry(String peerId, long elapsedSeconds, List<Address> addresses) {
        public Entry {
            peerId = PeerIds.normalize(peerId);
            if (elapsedSeconds < 0) {
                throw new IllegalArgumentException("elapsed time must be non-negative: " + elapsedSeconds);
            }
            addresses = checkAddresses(addresses);
        }
    }

    public GroupReport {
        Objects.requireNonNull(observedAddress, "observedAddress");
        senderAddresses = checkAddresses(senderAddresses);
        entries = List.copyOf(entries);
        for (int f : flags) {
            if (f < 0 || f > 0x7f || f == OBSERVED_OPTION) {
                throw new IllegalArgumentException("a flag option type is 00..7f and not 0d: " + f);
            }
        }
        flags = Collections.unmodifiableSet(new TreeSet<>(flags));
    }

    /** A report without flags, as librtmfp writes them. */
    public GroupReport(Address observedAddress, List<Address> senderAddresses, List<Entry> entries) {
        this(observedAddress, senderAddresses, entries, Set.of());
    }

    private static List<Address> checkAddresses(List<Address> addresses) {
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("at most " + MAX_ADDRESSES + " addresses, got " + addresses.size());
        }
        return List.copyOf(addresses);
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter(64 + entries.size() * 80);
        w.u8(TYPE);
        for (int f : flags) {
            w.u8(FLAG_OPTION_LENGTH).u8(f);
        }
        w.vlu(1 + observedAddress.encodedSize()).u8(OBSERVED_OPTION);
        observedAddress.encode(w);
        writeAddresses(w, senderAddresses);
        w.u8(0);
        for (Entry e : entries) {
            w.u8(EPD_LENGTH);
            GroupWire.writePeerEpd(w, e.peerId());
            w.vlu(e.elapsedSeconds());
            writeAddresses(w, e.addresses());
            w.u8(0);
        }
        return w.toByteArray();
    }

    private static void writeAddresses(ByteWriter w, List<Address> addresses) {
        int size = 1;
        for (Address a : addresses) {
            size += a.encodedSize();
        }
        w.vlu(size).u8(ADDRESSES_OPTION);
        for (Address a : addresses) {
            a.encode(w);
        }
    }

    /**
     * Reads a report.
     *
     * @throws WireFormatException if the header (up to the sender's addresses) is malformed
     */
    public static GroupReport decode(byte[] message) {
        ByteReader r = GroupWire.body(message, TYPE, "group report");
        // Flag options, then L1, which librtmfp neither writes as a VLU nor reads.
        Set<Integer> flags = new TreeSet<>();
        while (r.u8() == FLAG_OPTION_LENGTH) {
            int f = r.u8();
            if (f <= 0x7f && f != OBSERVED_OPTION) {
                flags.add(f);
            }
        }
        if (r.u8() != OBSERVED_OPTION) {
            throw new WireFormatException("group report: expected the observed address option 0d");
        }
        Address observed = Address.decode(r);
        List<Address> sender = readAddresses(r);
        List<Entry> entries = new ArrayList<>();
        while (r.remaining() > ENTRY_MIN_REMAINING && r.u8() == 0) {
            try {
                readEntry(r, entries);
            } catch (WireFormatException e) {
                break;
            }
        }
        return new GroupReport(observed, sender, entries, flags);
    }

    /** Reads one entry into {@code entries}; one whose address option is not 0a is skipped, as librtmfp does. */
    private static void readEntry(ByteReader r, List<Entry> entries) {
        if (r.u8() != EPD_LENGTH) {
            throw new WireFormatException("group report entry without a peer EPD");
        }
        String peerId = GroupWire.readPeerEpd(r);
        long elapsed = r.vlu();
        ByteReader list = addressOption(r);
        if (list.u8() == ADDRESSES_OPTION) {
            entries.add(new Entry(peerId, elapsed, addresses(list)));
        }
    }

    private static List<Address> readAddresses(ByteReader r) {
        ByteReader list = addressOption(r);
        if (list.u8() != ADDRESSES_OPTION) {
            throw new WireFormatException("group report: expected the sender's address option 0a");
        }
        return addresses(list);
    }

    /** The next address option (type and addresses), its length read with librtmfp's 8-bit guard. */
    private static ByteReader addressOption(ByteReader r) {
        int length = r.duplicate().u8() > EIGHT_BIT_LENGTH_ABOVE ? r.u8() : r.vluInt();
        if (length == 0) {
            throw new WireFormatException("group report: empty address option");
        }
        return r.slice(length);
    }

    /** The addresses up to the end of {@code list}, the first {@link #MAX_ADDRESSES} kept. */
    private static List<Address> addresses(ByteReader list) {
        List<Address> out = new ArrayList<>();
        while (list.hasRemaining()) {
            Address a = Address.decode(list);
            if (out.size() < MAX_ADDRESSES) {
                out.add(a);
            }
        }
        return out;
    }
}
