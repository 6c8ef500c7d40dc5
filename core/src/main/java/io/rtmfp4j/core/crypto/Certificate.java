package io.rtmfp4j.core.crypto;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An endpoint certificate of the Flash crypto profile (RFC 7425 §4.3): an option list naming the
 * endpoint's DH groups (ephemeral, option 0x15) or static DH public keys (option 0x1d), and
 * optionally a hostname and the "accepts ancillary data" flag of servers.
 *
 * <p>Immutable. Equality is by the encoded bytes, which is also the identity test of RFC 7425
 * §4.3.7 (a new IIKeying overrides an open session only with a byte-identical certificate).
 */
public final class Certificate {
    static final int OPT_HOSTNAME = 0x00;
    static final int OPT_ACCEPTS_ANCILLARY_DATA = 0x0a;
    static final int OPT_EXTRA_RANDOMNESS = 0x0e;
    static final int OPT_SUPPORTED_GROUP = 0x15;
    static final int OPT_STATIC_KEY = 0x1d;

    /** Length of a Flash Player static group-2 certificate: {@code 81 02 1d 02 <128 bytes>}. */
    public static final int FLASH_STATIC_LENGTH = 132;

    private final byte[] encoded;
    private final int canonicalLength;
    private final byte[] fingerprint;
    private final byte[] hostname;
    private final boolean acceptsAncillaryData;
    private final List<DhGroup> ephemeralGroups;
    /** Groups of the static keys, in certificate order. */
    private final List<DhGroup> staticGroups;
    /**
     * Where each static key lies in {@link #encoded}: offset and length, a pair per group of
     * {@link #staticGroups}. A server keeps a certificate per session; the keys are read once.
     */
    private final int[] staticKeySlices;
    private final boolean isStatic;

    private Certificate(byte[] encoded) {
        this.encoded = encoded;
        // rtmfp-cpp rejects a certificate that is not one well-formed option list as a whole,
        // although only the options before the first marker describe the endpoint.
        List<OptionLists.Entry> options = OptionLists.parse(encoded);
        int canonical = encoded.length;
        byte[] host = null;
        boolean ancillary = false;
        boolean sawGroupOption = false;
        boolean sawKeyOption = false;
        List<DhGroup> groups = new ArrayList<>();
        List<DhGroup> keyGroups = new ArrayList<>();
        List<Integer> slices = new ArrayList<>();
        for (OptionLists.Entry e : options) {
            if (e.isMarker()) {
                // RFC 7425 §4.3.2: the canonical part runs through the first marker; what follows
                // (signatures, RFC 7425 §4.3.5) does not describe the endpoint.
                canonical = e.end();
                break;
            }
            if (e.type() == OPT_HOSTNAME) {
                if (host == null) {
                    host = e.value();
                }
            } else if (e.type() == OPT_ACCEPTS_ANCILLARY_DATA) {
                ancillary = true;
            } else if (e.type() == OPT_SUPPORTED_GROUP) {
                sawGroupOption = true;
                long id = OptionLists.splitGroupValue(e.value()).groupId();
                DhGroup.byId(id).filter(g -> !groups.contains(g)).ifPresent(groups::add);
            } else if (e.type() == OPT_STATIC_KEY) {
                sawKeyOption = true;
                OptionLists.GroupValue gv = OptionLists.splitGroupValue(e.value());
                // The first key for a group is the one rtmfp-cpp uses; later duplicates are ignored.
                Optional<DhGroup> g = DhGroup.byId(gv.groupId());
                if (g.isPresent() && !keyGroups.contains(g.get())) {
                    keyGroups.add(g.get());
                    // The key is the end of the option's value, which ends the option.
                    slices.add(e.end() - gv.bytes().length);
                    slices.add(gv.bytes().length);
                }
            }
        }
        if (sawGroupOption == sawKeyOption) {
            throw new WireFormatException(sawGroupOption
                    ? "certificate has both static keys and ephemeral groups"
                    : "certificate has neither static keys nor ephemeral groups");
        }
        this.canonicalLength = canonical;
        this.fingerprint = Sha256.digest(encoded, 0, canonical);
        this.hostname = host;
        this.acceptsAncillaryData = ancillary;
        this.ephemeralGroups = List.copyOf(groups);
        this.staticGroups = List.copyOf(keyGroups);
        this.staticKeySlices = slices.stream().mapToInt(Integer::intValue).toArray();
        this.isStatic = sawKeyOption;
    }

    /**
     * Decodes a certificate received from the far end.
     *
     * @throws WireFormatException if it is not a well-formed option list, or it does not carry
     *     exactly one of static keys and ephemeral groups (spec §4.3)
     */
    public static Certificate decode(byte[] encoded) {
        return new Certificate(encoded.clone());
    }

    /**
     * An ephemeral certificate in rtmfp-cpp's server layout:
     * {@code [hostname] [01 0a] 02 15 <g>... 41 0e <extraRandom>} (RFC 7425 §4.3; spec §4.3 table).
     * The extra randomness makes the fingerprint unique per process start.
     */
    public static Certificate ephemeral(Optional<String> hostname, boolean acceptsAncillary,
            List<DhGroup> groups, byte[] extraRandom) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("an ephemeral certificate needs at least one group");
        }
        ByteWriter w = new ByteWriter(96);
        hostname.ifPresent(h -> OptionLists.append(w, OPT_HOSTNAME, h.getBytes(StandardCharsets.UTF_8)));
        if (acceptsAncillary) {
            OptionLists.append(w, OPT_ACCEPTS_ANCILLARY_DATA, new byte[0]);
        }
        for (DhGroup g : groups) {
            OptionLists.append(w, OPT_SUPPORTED_GROUP, OptionLists.groupValue(g.id(), new byte[0]));
        }
        OptionLists.append(w, OPT_EXTRA_RANDOMNESS, extraRandom);
        return new Certificate(w.toByteArray());
    }

    /**
     * A static certificate in rtmfp-cpp's client layout: {@code [hostname] (VLU 1d <g> <key>)...},
     * one key option per group in preference order.
     */
    public static Certificate withStaticKeys(Optional<String> hostname, List<DhKeyPair> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a static certificate needs at least one key");
        }
        ByteWriter w = new ByteWriter(160);
        hostname.ifPresent(h -> OptionLists.append(w, OPT_HOSTNAME, h.getBytes(StandardCharsets.UTF_8)));
        for (DhKeyPair k : keys) {
            OptionLists.append(w, OPT_STATIC_KEY, OptionLists.groupValue(k.group().id(), k.publicKey()));
        }
        return new Certificate(w.toByteArray());
    }

    /**
     * Flash Player's certificate: exactly {@code 81 02 1d 02 <128-byte key>} (132 bytes). Its
     * fingerprint, the Flash peer ID, is the SHA-256 of all 132 bytes (pitfall P6).
     *
     * @throws IllegalArgumentException unless the key is exactly 128 bytes (regenerate, P5)
     */
    public static Certificate flashStatic(byte[] group2PublicKey) {
        if (group2PublicKey.length != DhGroup.GROUP_2.primeBytes()) {
            throw new IllegalArgumentException("Flash static key must be 128 bytes, got " + group2PublicKey.length);
        }
        ByteWriter w = new ByteWriter(FLASH_STATIC_LENGTH);
        OptionLists.append(w, OPT_STATIC_KEY, OptionLists.groupValue(DhGroup.GROUP_2.id(), group2PublicKey));
        return new Certificate(w.toByteArray());
    }

    /**
     * Glare resolution (RFC 7425 §4.3.6, pitfall P30): the end with the smaller certificate, as an
     * unsigned byte string (a proper prefix is smaller), wins; so the near end wins iff
     * {@code far >= near}. rtmfp-cpp: {@code not (far < near)}.
     */
    public static boolean nearWinsGlare(Certificate near, Certificate far) {
        return Arrays.compareUnsigned(far.encoded, near.encoded) >= 0;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    /** Length of the encoded certificate. */
    public int length() {
        return encoded.length;
    }

    /** Every byte through the first marker, or the whole certificate without one (RFC 7425 §4.3.2). */
    public byte[] canonicalPart() {
        return Arrays.copyOf(encoded, canonicalLength);
    }

    /** SHA-256 of the canonical part (RFC 7425 §4.3.2); 32 bytes. */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** The fingerprint in lowercase hex: Flash's {@code nearID}/{@code farID}. */
    public String peerId() {
        return Hex.encode(fingerprint);
    }

    /** The first hostname option of the canonical part, as UTF-8. */
    public Optional<String> hostname() {
        return Optional.ofNullable(hostname).map(h -> new String(h, StandardCharsets.UTF_8));
    }

    /** Raw hostname bytes for exact comparison with an EPD (rtmfp-cpp compares bytes). */
    Optional<byte[]> hostnameBytes() {
        return Optional.ofNullable(hostname).map(byte[]::clone);
    }

    /** True for servers: the endpoint accepts IHellos carrying ancillary data (RFC 7425 §4.4.2). */
    public boolean acceptsAncillaryData() {
        return acceptsAncillaryData;
    }

    /** Ephemeral groups in certificate order (the far end's preference); unknown IDs skipped. */
    public List<DhGroup> ephemeralGroups() {
        return ephemeralGroups;
    }

    /** Static public keys by group, in certificate order; unknown group IDs skipped. */
    public Map<DhGroup, byte[]> staticKeys() {
        Map<DhGroup, byte[]> copy = new LinkedHashMap<>();
        staticGroups.forEach(g -> copy.put(g, staticKey(g).orElseThrow()));
        return Collections.unmodifiableMap(copy);
    }

    public Optional<byte[]> staticKey(DhGroup group) {
        int i = staticGroups.indexOf(group);
        if (i < 0) {
            return Optional.empty();
        }
        int from = staticKeySlices[2 * i];
        return Optional.of(Arrays.copyOfRange(encoded, from, from + staticKeySlices[2 * i + 1]));
    }

    /** Groups usable with this endpoint: its static key groups or its ephemeral groups. */
    public List<DhGroup> groups() {
        return isStatic() ? staticGroups : ephemeralGroups;
    }

    public boolean supports(DhGroup group) {
        return isStatic() ? staticGroups.contains(group) : ephemeralGroups.contains(group);
    }

    /**
     * True if the endpoint has static keys. A static certificate binds the peer ID to a DH key, so
     * the peer ID cannot be claimed by anyone else (RFC 7425 §4.3.4).
     */
    public boolean isStatic() {
        return isStatic;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Certificate c && Arrays.equals(c.encoded, encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Certificate[" + peerId() + (isStatic() ? ", static " + staticGroups : ", ephemeral " + ephemeralGroups)
                + hostname().map(h -> ", host " + h).orElse("") + (acceptsAncillaryData ? ", server" : "") + "]";
    }
}
