package io.rtmfp4j.flash.files;

import io.rtmfp4j.flash.net.PeerIds;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a sender offers: a file's name (no directory), its size and its SHA-256. The receiver
 * keys its resume state by the digest, so a changed file is never resumed onto an old prefix.
 *
 * @param name   a plain file name: no separators, no control characters, not starting with a dot
 * @param size   bytes, 0 .. {@link #MAX_SIZE}
 * @param sha256 64 lowercase hex digits
 */
public record FileOffer(String name, long size, String sha256) {
    /** AMF numbers are doubles: every size up to 2^53 is exact. */
    public static final long MAX_SIZE = 1L << 53;
    /** The longest name most file systems take (in UTF-8 bytes). */
    static final int MAX_NAME_BYTES = 255;

    public FileOffer {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size out of range: " + size);
        }
        // A peer ID is a SHA-256 too (RFC 7425 §4.3.2): the same 64 hex digits.
        if (!PeerIds.isPeerId(sha256)) {
            throw new IllegalArgumentException("not a SHA-256 (64 hex digits): " + sha256);
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }

    /**
     * Why {@code name} cannot be written into a directory as it stands, or null if it can. A
     * receiver must not let a peer choose where a file goes: no separators, nothing that climbs
     * out ({@code ..}), no hidden or device-like names.
     */
    public static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "the file name is empty";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "the file name is longer than " + MAX_NAME_BYTES + " bytes";
        }
        if (name.startsWith(".")) {
            return "the file name starts with a dot: " + name;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c == ':' || Character.isISOControl(c)) {
                return "the file name contains a separator or control character: " + name.replaceAll("\\p{Cntrl}", "?");
            }
            // Bidirectional overrides and invisible characters make a name read as another ("txt.exe" as "exe.txt").
            if (Character.getType(c) == Character.FORMAT) {
                return "the file name contains an invisible formatting character (U+"
                        + String.format("%04X", (int) c) + ")";
            }
        }
        return null;
    }

    /** The AMF object sent as {@code offer}'s argument. */
    Map<String, Object> toAmf() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("size", (double) size);
        m.put("sha256", sha256);
        return m;
    }

    /**
     * Reads an offer a peer sent.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static FileOffer fromAmf(Object value) {
        if (!(value instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)
                || !(m.get("size") instanceof Number size) || !(m.get("sha256") instanceof String sha)) {
            throw new IllegalArgumentException("a malformed offer");
        }
        double d = size.doubleValue();
        if (!(d >= 0 && d <= MAX_SIZE) || d != Math.rint(d)) {
            throw new IllegalArgumentException("size out of range: " + d);
        }
        return new FileOffer(name, (long) d, sha);
    }
}
