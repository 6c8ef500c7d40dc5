package io.rtmfp4j.core.crypto;

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An endpoint discriminator (RFC 7425 §4.4): the option list in an IHello saying which responder
 * the initiator wants: a required hostname (0x00), ancillary data such as the server URI (0x0a),
 * and/or a certificate fingerprint (0x0f).
 *
 * <p>Byte arrays are copied in and out; equality is by content.
 */
public record EndpointDiscriminator(Optional<String> hostname, Optional<byte[]> ancillaryData,
        Optional<byte[]> fingerprint) {
    static final int OPT_REQUIRED_HOSTNAME = 0x00;
    static final int OPT_ANCILLARY_DATA = 0x0a;
    static final int OPT_FINGERPRINT = 0x0f;

    public EndpointDiscriminator {
        hostname = Objects.requireNonNullElse(hostname, Optional.empty());
        ancillaryData = Objects.requireNonNullElse(ancillaryData, Optional.<byte[]>empty()).map(byte[]::clone);
        fingerprint = Objects.requireNonNullElse(fingerprint, Optional.<byte[]>empty()).map(byte[]::clone);
    }

    @Override
    public Optional<byte[]> ancillaryData() {
        return ancillaryData.map(byte[]::clone);
    }

    @Override
    public Optional<byte[]> fingerprint() {
        return fingerprint.map(byte[]::clone);
    }

    /** EPD naming one peer by its fingerprint (peer-to-peer: {@code 21 0f <peer ID>}). */
    public static EndpointDiscriminator forPeer(byte[] fingerprint) {
        if (fingerprint.length != 32) {
            throw new IllegalArgumentException("fingerprint must be 32 bytes, got " + fingerprint.length);
        }
        return new EndpointDiscriminator(Optional.empty(), Optional.empty(), Optional.of(fingerprint));
    }

    /**
     * EPD of a client connecting to a server: ancillary data = the URI (rtmfp-cpp sends the public
     * URI, without user-info; the server treats it only as a hint, spec §4.4).
     */
    public static EndpointDiscriminator forServerUri(String uri) {
        return new EndpointDiscriminator(Optional.empty(),
                Optional.of(uri.getBytes(StandardCharsets.UTF_8)), Optional.empty());
    }

    /**
     * The canonical EPD of a certificate (RFC 7425 §4.4.4): {@code 21 0f || fingerprint}, 34 bytes.
     * Used as the key identifying the far end of a session.
     */
    public static byte[] canonical(Certificate c) {
        return forPeer(c.fingerprint()).encode();
    }

    /**
     * Encodes as an option list without marker. The fingerprint goes first, as in rtmfp-cpp's
     * {@code makeEPD}, then ancillary data, then hostname.
     */
    public byte[] encode() {
        ByteWriter w = new ByteWriter(64);
        fingerprint.ifPresent(f -> OptionLists.append(w, OPT_FINGERPRINT, f));
        ancillaryData.ifPresent(a -> OptionLists.append(w, OPT_ANCILLARY_DATA, a));
        hostname.ifPresent(h -> OptionLists.append(w, OPT_REQUIRED_HOSTNAME, h.getBytes(StandardCharsets.UTF_8)));
        return w.toByteArray();
    }

    /**
     * Decodes an EPD. Unknown options and markers are skipped; when an option repeats, the last one
     * wins (as in rtmfp-cpp). An EPD with none of the three criteria decodes but selects nobody.
     *
     * @throws WireFormatException if the bytes are not a well-formed option list
     */
    public static EndpointDiscriminator decode(byte[] epd) {
        String host = null;
        byte[] ancillary = null;
        byte[] fp = null;
        for (OptionLists.Entry e : OptionLists.parse(epd)) {
            if (e.isMarker()) {
                continue;
            }
            if (e.type() == OPT_REQUIRED_HOSTNAME) {
                host = new String(e.value(), StandardCharsets.UTF_8);
            } else if (e.type() == OPT_ANCILLARY_DATA) {
                ancillary = e.value();
            } else if (e.type() == OPT_FINGERPRINT) {
                fp = e.value();
            }
        }
        return new EndpointDiscriminator(Optional.ofNullable(host), Optional.ofNullable(ancillary),
                Optional.ofNullable(fp));
    }

    /** True if the EPD carries at least one selection criterion. */
    public boolean isEmpty() {
        return hostname.isEmpty() && ancillaryData.isEmpty() && fingerprint.isEmpty();
    }

    /**
     * Does this EPD select the endpoint with certificate {@code c}? (RFC 7425 §4.4.) A fingerprint,
     * if present, decides alone (§4.4.3, pitfall P29). Otherwise every present criterion must hold:
     * the hostname must equal the certificate's hostname byte for byte, and ancillary data requires
     * a certificate that accepts it. Without any criterion, nobody is selected.
     */
    public boolean selects(Certificate c) {
        if (fingerprint.isPresent()) {
            return Arrays.equals(fingerprint.get(), c.fingerprint());
        }
        if (isEmpty()) {
            return false;
        }
        if (hostname.isPresent()) {
            byte[] want = hostname.get().getBytes(StandardCharsets.UTF_8);
            if (!c.hostnameBytes().map(h -> Arrays.equals(h, want)).orElse(false)) {
                return false;
            }
        }
        return ancillaryData.isEmpty() || c.acceptsAncillaryData();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EndpointDiscriminator e && e.hostname.equals(hostname)
                && sameBytes(e.ancillaryData, ancillaryData) && sameBytes(e.fingerprint, fingerprint);
    }

    private static boolean sameBytes(Optional<byte[]> a, Optional<byte[]> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(hostname, ancillaryData.map(Arrays::hashCode), fingerprint.map(Arrays::hashCode));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("EndpointDiscriminator[");
        fingerprint.ifPresent(f -> sb.append("fingerprint=").append(Hex.encode(f)).append(' '));
        ancillaryData.ifPresent(a -> sb.append("ancillary=\"")
                .append(new String(a, StandardCharsets.UTF_8)).append("\" "));
        hostname.ifPresent(h -> sb.append("hostname=").append(h).append(' '));
        if (sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 1);
        }
        return sb.append(']').toString();
    }
}
