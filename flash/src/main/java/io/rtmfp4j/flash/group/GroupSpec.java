package io.rtmfp4j.flash.group;

import static io.rtmfp4j.flash.group.GroupSpecOption.BOOTSTRAP_PEER;
import static io.rtmfp4j.flash.group.GroupSpecOption.IP_MULTICAST_ADDRESS;
import static io.rtmfp4j.flash.group.GroupSpecOption.IP_MULTICAST_MEMBER_UPDATES;
import static io.rtmfp4j.flash.group.GroupSpecOption.MULTICAST;
import static io.rtmfp4j.flash.group.GroupSpecOption.NAME;
import static io.rtmfp4j.flash.group.GroupSpecOption.OBJECT_REPLICATION;
import static io.rtmfp4j.flash.group.GroupSpecOption.PEER_TO_PEER_DISABLED;
import static io.rtmfp4j.flash.group.GroupSpecOption.POSTING;
import static io.rtmfp4j.flash.group.GroupSpecOption.POSTING_AUTHORIZATION;
import static io.rtmfp4j.flash.group.GroupSpecOption.POSTING_DIGEST;
import static io.rtmfp4j.flash.group.GroupSpecOption.PREFIX;
import static io.rtmfp4j.flash.group.GroupSpecOption.PUBLISH_AUTHORIZATION;
import static io.rtmfp4j.flash.group.GroupSpecOption.PUBLISH_DIGEST;
import static io.rtmfp4j.flash.group.GroupSpecOption.ROUTING;
import static io.rtmfp4j.flash.group.GroupSpecOption.SERVER_CHANNEL;
import static io.rtmfp4j.flash.group.GroupSpecOption.VERSION;

import io.rtmfp4j.core.crypto.Sha256;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Option;
import io.rtmfp4j.core.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed groupspec string, whoever made it (Flash, librtmfp, {@link GroupSpecifier}): immutable.
 *
 * <p>Parsing follows netgroup spec §3.4: the {@code G:} prefix, hex digits in either case, options
 * up to a required {@code 00} terminator (the identity section, which makes the group ID), then
 * extras (IP multicast addresses, bootstrap peers) and authorizations (passwords in clear) to the
 * end, in any order. Unknown option types are ignored. Lengths are read as VLUs; for the ones
 * librtmfp can read they are single bytes anyway.
 *
 * <p>Equality is by {@link #text()}: two strings that differ only in hex case are different
 * strings but, being made of the same bytes after the terminator, may be the same group; compare
 * {@link #groupIdHex()} for that.
 */
public final class GroupSpec {
    /** SHA-256 for the group ID, or two for a version-2 groupspec (spec §3.5). */
    private static final byte[] VERSION_2 = {0x02};

    private final String text;
    private final int identityLength;
    private final List<Option> identity;
    private final List<Option> trailing;
    private final int version;
    private final boolean doubleHash;

    private GroupSpec(String text, int identityLength, List<Option> identity, List<Option> trailing, int version,
            boolean doubleHash) {
        this.text = text;
        this.identityLength = identityLength;
        this.identity = identity;
        this.trailing = trailing;
        this.version = version;
        this.doubleHash = doubleHash;
    }

    /**
     * Parses a groupspec.
     *
     * @throws GroupSpecException if it is not one; the message says why
     */
    public static GroupSpec parse(String text) {
        Objects.requireNonNull(text, "groupspec");
        if (!text.startsWith(PREFIX)) {
            throw new GroupSpecException("a groupspec starts with \"G:\": \"" + abbreviate(text) + "\"");
        }
        String hex = text.substring(PREFIX.length());
        if (hex.length() % 2 != 0 || !hex.chars().allMatch(HexFormat::isHexDigit)) {
            throw new GroupSpecException("a groupspec is \"G:\" then pairs of hex digits: \"" + abbreviate(text) + "\"");
        }
        ByteReader r = new ByteReader(Hex.decode(hex));
        List<Option> identity;
        List<Option> trailing;
        try {
            identity = Option.decodeList(r);
        } catch (WireFormatException e) {
            throw new GroupSpecException("groupspec without the 00 that ends its identity options, or with a"
                    + " malformed one (" + e.getMessage() + "): \"" + abbreviate(text) + "\"");
        }
        int identityBytes = r.position() - 1;
        try {
            trailing = Option.decodeUnterminated(r);
        } catch (WireFormatException e) {
            throw new GroupSpecException("malformed option after the groupspec's identity (" + e.getMessage()
                    + "): \"" + abbreviate(text) + "\"");
        }
        List<Option> versions = identity.stream().filter(o -> o.type() == VERSION).toList();
        if (versions.size() > 1) {
            throw new GroupSpecException("groupspec names its version " + versions.size() + " times");
        }
        int version = 1;
        boolean doubleHash = false;
        if (!versions.isEmpty()) {
            byte[] value = versions.get(0).value();
            version = readVersion(value);
            // librtmfp double-hashes exactly when the value is the byte 02 (spec §3.4 rule 5).
            doubleHash = Arrays.equals(value, VERSION_2);
        }
        GroupSpec spec = new GroupSpec(text, PREFIX.length() + 2 * identityBytes, identity, trailing, version,
                doubleHash);
        spec.checkExtras();
        return spec;
    }

    private static int readVersion(byte[] value) {
        try {
            ByteReader r = new ByteReader(value);
            long v = r.vlu();
            if (r.hasRemaining() || v < 1 || v > Integer.MAX_VALUE) {
                throw new WireFormatException("version option " + Hex.encode(value));
            }
            return (int) v;
        } catch (WireFormatException e) {
            throw new GroupSpecException("malformed groupspec version: " + e.getMessage());
        }
    }

    /** Reads every extra once, so that a malformed one fails the parse rather than a later call. */
    private void checkExtras() {
        ipMulticastAddresses();
        for (Option o : trailing) {
            if (o.type() == BOOTSTRAP_PEER && o.value().length != GroupAddress.LENGTH) {
                throw new GroupSpecException("a bootstrap peer option holds a 32-byte peer ID, got "
                        + o.value().length + " bytes");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The string as given. */
    public String text() {
        return text;
    }

    /**
     * The identity section as written, {@code G:} and the hex up to (not including) the {@code 00}
     * terminator: what the group ID hashes (spec §3.5 {@code groupspecText}) and what keys the
     * group connect key (spec §5.1).
     */
    public String identityText() {
        return text.substring(0, identityLength);
    }

    /** The 32-byte group ID (spec §3.5): what the server channel and neighbors name the group by. */
    public byte[] groupId() {
        byte[] h = Sha256.digest(identityText().getBytes(StandardCharsets.US_ASCII));
        return doubleHash ? Sha256.digest(h) : h;
    }

    /** {@link #groupId()} as 64 lowercase hex digits. */
    public String groupIdHex() {
        return Hex.encode(groupId());
    }

    /** Option 0x7f, or 1 without it. */
    public int version() {
        return version;
    }

    private boolean has(int type) {
        return Option.first(identity, type).isPresent();
    }

    public boolean routingEnabled() {
        return has(ROUTING);
    }

    public boolean multicastEnabled() {
        return has(MULTICAST);
    }

    public boolean objectReplicationEnabled() {
        return has(OBJECT_REPLICATION);
    }

    public boolean postingEnabled() {
        return has(POSTING);
    }

    public boolean serverChannelEnabled() {
        return has(SERVER_CHANNEL);
    }

    public boolean peerToPeerDisabled() {
        return has(PEER_TO_PEER_DISABLED);
    }

    public boolean ipMulticastMemberUpdatesEnabled() {
        return has(IP_MULTICAST_MEMBER_UPDATES);
    }

    /** The group's name: the first option 0x0e (a second one holds {@code makeUnique}'s bytes). */
    public Optional<String> name() {
        return Option.first(identity, NAME).map(o -> new String(o.value(), StandardCharsets.UTF_8));
    }

    /** The publish password's digest (spec §3.2), if publishing needs one. */
    public Optional<byte[]> publishDigest() {
        return Option.first(identity, PUBLISH_DIGEST).map(Option::value).map(byte[]::clone);
    }

    /** The posting password's digest (spec §3.2), if posting needs one. */
    public Optional<byte[]> postingDigest() {
        return Option.first(identity, POSTING_DIGEST).map(Option::value).map(byte[]::clone);
    }

    /** IP multicast addresses, in order. */
    public List<IpMulticastAddress> ipMulticastAddresses() {
        List<IpMulticastAddress> out = new ArrayList<>();
        for (Option o : trailing) {
            if (o.type() == IP_MULTICAST_ADDRESS) {
                out.add(IpMulticastAddress.decode(o.value()));
            }
        }
        return List.copyOf(out);
    }

    /** Bootstrap peers' IDs, 64 lowercase hex digits each, in order. */
    public List<String> bootstrapPeers() {
        return trailing.stream().filter(o -> o.type() == BOOTSTRAP_PEER).map(o -> Hex.encode(o.value())).toList();
    }

    /** The publish password in clear, if the string carries authorizations. */
    public Optional<String> publishPassword() {
        return authorization(PUBLISH_AUTHORIZATION).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** The posting password in clear, if the string carries authorizations. */
    public Optional<String> postingPassword() {
        return authorization(POSTING_AUTHORIZATION).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    private Optional<byte[]> authorization(int type) {
        return Option.first(trailing, type).map(Option::value);
    }

    /** Whether this member may publish: no publish password, or the right one in clear. */
    public boolean publishAuthorized() {
        return authorized(PUBLISH_DIGEST, PUBLISH_AUTHORIZATION);
    }

    /** Whether this member may post: no posting password, or the right one in clear. */
    public boolean postingAuthorized() {
        return authorized(POSTING_DIGEST, POSTING_AUTHORIZATION);
    }

    private boolean authorized(int digestType, int authorizationType) {
        Optional<Option> digest = Option.first(identity, digestType);
        if (digest.isEmpty()) {
            return true;
        }
        return authorization(authorizationType).map(pw -> PasswordDigest.matches(digest.get().value(), pw))
                .orElse(false);
    }

    /** The same groupspec without passwords in clear: the same group, for members who only receive. */
    public GroupSpec withoutAuthorizations() {
        ByteWriter w = new ByteWriter(64);
        w.u8(Option.MARKER);
        for (Option o : trailing) {
            if (o.type() != PUBLISH_AUTHORIZATION && o.type() != POSTING_AUTHORIZATION) {
                o.encode(w);
            }
        }
        return parse(identityText() + Hex.encode(w.toByteArray()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupSpec g && g.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The string without passwords in clear, so that logging a groupspec never discloses them. */
    @Override
    public String toString() {
        return withoutAuthorizations().text();
    }
}
