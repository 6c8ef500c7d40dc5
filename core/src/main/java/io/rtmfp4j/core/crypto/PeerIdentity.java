package io.rtmfp4j.core.crypto;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The near end's identity: its certificate and the private keys behind it. Immutable and
 * thread-safe.
 *
 * <p>Two kinds, as in RFC 7425 §7: clients and peers use <em>static</em> DH keys published in the
 * certificate, which binds the peer ID to a key so nobody else can claim it (RFC 7425 §4.3.4);
 * servers use <em>ephemeral</em> certificates listing DH groups, with fresh keys per session.
 *
 * <h2>Text form ({@link #store()} / {@link #load(String)})</h2>
 * Line oriented, UTF-8, {@code #} starts a comment line, blank lines ignored:
 * <pre>
 * rtmfp4j-identity 1
 * certificate &lt;certificate bytes, lowercase hex&gt;
 * preference &lt;group id&gt; [&lt;group id&gt; ...]
 * dh-private-key &lt;group id&gt; &lt;private exponent, minimal big-endian hex&gt;   (static identities, one per group)
 * </pre>
 * The file holds private keys: keep it readable by its owner only.
 */
public final class PeerIdentity {
    private static final String HEADER = "rtmfp4j-identity 1";
    /**
     * Extra randomness of a server certificate: it only has to make the fingerprint unique to the
     * process (RFC 7425 §4.3), which 64 bits do. rtmfp-cpp sends 64 bytes, but every byte of the
     * certificate goes into each RHello, an answer to an address nobody has validated yet: with 8,
     * the server's RHello to librtmfp's shortest IHello stays near three times its size.
     */
    private static final int EXTRA_RANDOMNESS = 8;

    private final Certificate certificate;
    private final Map<DhGroup, DhKeyPair> staticKeys;
    private final List<DhGroup> preference;

    private PeerIdentity(Certificate certificate, Map<DhGroup, DhKeyPair> staticKeys, List<DhGroup> preference) {
        this.certificate = certificate;
        this.staticKeys = staticKeys;
        this.preference = preference;
    }

    /**
     * A Flash Player-like identity: one static group-2 key with a 128-byte public key and the
     * 132-byte certificate {@code 81 02 1d 02 <key>}, whose SHA-256 is the peer ID (spec B.4).
     */
    public static PeerIdentity newFlashClient(SecureRandom random) {
        DhKeyPair kp = DhKeyPair.generateFlashStatic(random);
        return of(Certificate.flashStatic(kp.publicKey()), List.of(kp));
    }

    /**
     * A static identity with one key per group, in rtmfp-cpp's client certificate layout; groups are
     * listed in preference order.
     */
    public static PeerIdentity newStatic(Optional<String> hostname, List<DhGroup> groups, SecureRandom random) {
        List<DhKeyPair> keys = new ArrayList<>();
        for (DhGroup g : distinct(groups)) {
            keys.add(DhKeyPair.generateFullLength(g, random));
        }
        return of(Certificate.withStaticKeys(hostname, keys), keys);
    }

    /**
     * A server identity: ephemeral certificate accepting ancillary data (so clients can reach it by
     * URI, RFC 7425 §4.4.2) with 8 bytes of extra randomness; groups in preference order. A server
     * must be able to compute in every group it advertises (pitfall P12).
     */
    public static PeerIdentity newServer(Optional<String> hostname, List<DhGroup> groups, SecureRandom random) {
        byte[] extra = new byte[EXTRA_RANDOMNESS];
        random.nextBytes(extra);
        return of(Certificate.ephemeral(hostname, true, distinct(groups), extra), List.of());
    }

    /**
     * An identity from a certificate and its private keys. For a static certificate there must be a
     * key pair matching every static key of a known group; an ephemeral certificate takes none.
     *
     * @throws IllegalArgumentException if keys and certificate do not match
     */
    public static PeerIdentity of(Certificate certificate, Collection<DhKeyPair> keys) {
        Map<DhGroup, DhKeyPair> byGroup = new LinkedHashMap<>();
        if (certificate.isStatic()) {
            Map<DhGroup, byte[]> published = certificate.staticKeys();
            for (Map.Entry<DhGroup, byte[]> e : published.entrySet()) {
                DhKeyPair kp = keys.stream().filter(k -> k.group() == e.getKey()).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no private key for " + e.getKey()));
                if (!Arrays.equals(kp.publicKey(), e.getValue())) {
                    throw new IllegalArgumentException("private key does not match the certificate for " + e.getKey());
                }
                byGroup.put(e.getKey(), kp);
            }
            if (keys.size() != byGroup.size()) {
                throw new IllegalArgumentException("keys for groups not in the certificate");
            }
        } else if (!keys.isEmpty()) {
            throw new IllegalArgumentException("an ephemeral certificate takes no static keys");
        }
        if (certificate.groups().isEmpty()) {
            throw new IllegalArgumentException("certificate names no supported DH group");
        }
        return new PeerIdentity(certificate, Collections.unmodifiableMap(byGroup), certificate.groups());
    }

    /**
     * The same identity with another group preference, e.g. group 2 first for Flash-era servers that
     * advertise 2, 5, 14 but compute only with 2 (pitfall P12). The certificate is unchanged.
     *
     * @throws IllegalArgumentException if a group is not in the certificate
     */
    public PeerIdentity withPreference(List<DhGroup> groups) {
        List<DhGroup> p = distinct(groups);
        if (p.isEmpty() || !certificate.groups().containsAll(p)) {
            throw new IllegalArgumentException("preference " + groups + " not a subset of " + certificate.groups());
        }
        return new PeerIdentity(certificate, staticKeys, p);
    }

    public Certificate certificate() {
        return certificate;
    }

    /** Groups to try, first preferred, when this end initiates (spec §4.5). */
    public List<DhGroup> preference() {
        return preference;
    }

    public boolean isStatic() {
        return certificate.isStatic();
    }

    /** The static key pair for a group; empty for ephemeral identities. */
    public Optional<DhKeyPair> staticKey(DhGroup group) {
        return Optional.ofNullable(staticKeys.get(group));
    }

    /** The text form described in the class comment. */
    public String store() {
        StringBuilder sb = new StringBuilder();
        sb.append("# rtmfp4j peer identity; peer ID ").append(certificate.peerId()).append('\n');
        if (isStatic()) {
            sb.append("# contains private keys: keep this file private\n");
        }
        sb.append(HEADER).append('\n');
        sb.append("certificate ").append(Hex.encode(certificate.encoded())).append('\n');
        sb.append("preference");
        preference.forEach(g -> sb.append(' ').append(g.id()));
        sb.append('\n');
        staticKeys.forEach((g, kp) -> sb.append("dh-private-key ").append(g.id()).append(' ')
                .append(Hex.encode(kp.privateKey())).append('\n'));
        return sb.toString();
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException if it is malformed or keys do not match the certificate
     */
    public static PeerIdentity load(String text) {
        boolean headerSeen = false;
        Certificate cert = null;
        List<DhGroup> pref = null;
        List<DhKeyPair> keys = new ArrayList<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!headerSeen) {
                if (!line.equals(HEADER)) {
                    throw new IllegalArgumentException("not an rtmfp4j identity (expected '" + HEADER + "')");
                }
                headerSeen = true;
                continue;
            }
            String[] f = line.split("\\s+");
            try {
                switch (f[0]) {
                    case "certificate" -> {
                        require(f.length == 2 && cert == null, line);
                        cert = Certificate.decode(Hex.decode(f[1]));
                    }
                    case "preference" -> {
                        require(f.length >= 2 && pref == null, line);
                        pref = new ArrayList<>();
                        for (int i = 1; i < f.length; i++) {
                            pref.add(group(f[i]));
                        }
                    }
                    case "dh-private-key" -> {
                        require(f.length == 3, line);
                        keys.add(DhKeyPair.fromPrivateKey(group(f[1]), Hex.decode(f[2])));
                    }
                    default -> throw new IllegalArgumentException("unknown line: " + line);
                }
            } catch (WireFormatException e) {
                throw new IllegalArgumentException("invalid certificate: " + e.getMessage(), e);
            }
        }
        if (cert == null) {
            throw new IllegalArgumentException("identity has no certificate");
        }
        PeerIdentity id = of(cert, keys);
        return pref == null ? id : id.withPreference(pref);
    }

    private static void require(boolean ok, String line) {
        if (!ok) {
            throw new IllegalArgumentException("malformed line: " + line);
        }
    }

    private static DhGroup group(String id) {
        return DhGroup.byId(Long.parseLong(id)).orElseThrow(() -> new IllegalArgumentException("unknown DH group " + id));
    }

    private static List<DhGroup> distinct(List<DhGroup> groups) {
        return groups.stream().distinct().toList();
    }

    /** Same certificate, keys and preference. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PeerIdentity p && p.certificate.equals(certificate) && p.staticKeys.equals(staticKeys)
                && p.preference.equals(preference);
    }

    @Override
    public int hashCode() {
        return certificate.hashCode();
    }

    @Override
    public String toString() {
        return "PeerIdentity[" + certificate.peerId() + (isStatic() ? ", static " : ", ephemeral ") + preference + "]";
    }
}
