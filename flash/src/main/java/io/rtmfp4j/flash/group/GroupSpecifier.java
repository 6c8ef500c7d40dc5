package io.rtmfp4j.flash.group;

import static io.rtmfp4j.flash.group.GroupSpecOption.BOOTSTRAP_PEER;
import static io.rtmfp4j.flash.group.GroupSpecOption.IP_MULTICAST_ADDRESS;
import static io.rtmfp4j.flash.group.GroupSpecOption.IP_MULTICAST_MEMBER_UPDATES;
import static io.rtmfp4j.flash.group.GroupSpecOption.MAX_IDENTITY_OPTION;
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

import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Option;
import io.rtmfp4j.core.wire.Vlu;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds groupspec strings as Flash's {@code flash.net.GroupSpecifier} does, byte for byte
 * (netgroup spec §3.1): set the group's name and capabilities, then pass
 * {@link #groupspecWithAuthorizations()} (or {@link #groupspecWithoutAuthorizations()} to members
 * who must not publish or post) to a NetGroup or a group NetStream.
 *
 * <pre>{@code
 * GroupSpecifier spec = new GroupSpecifier("myGroup")
 *         .setMulticastEnabled(true).setPostingEnabled(true).setServerChannelEnabled(true);
 * String groupspec = spec.groupspecWithAuthorizations();   // "G:027f02010101030..."
 * }</pre>
 *
 * <p>The string is what identifies the group: peers must build it from the same settings (or pass
 * it around) to meet. Settings before the {@code 00} terminator make the group ID; IP multicast
 * addresses, bootstrap peers and passwords in clear come after it and do not (spec §3.5).
 *
 * <p>Mutable and not thread-safe, like Flash's class: build it on one thread, then share the string.
 * Setters return {@code this} so that settings can be chained.
 */
public final class GroupSpecifier {
    /** The highest version this implementation writes and reads (Flash's {@code maxSupportedGroupspecVersion}). */
    public static final int MAX_SUPPORTED_GROUPSPEC_VERSION = 2;
    /**
     * Longest group name in UTF-8 bytes: librtmfp reads groupspec option lengths as one byte, so
     * the name option (type and name) must stay below 0x80 (spec §3.4).
     */
    public static final int MAX_NAME_BYTES = MAX_IDENTITY_OPTION - 1;
    /** Longest salt in UTF-8 bytes, for the same reason: salt and 32-byte hash share one option. */
    public static final int MAX_SALT_BYTES = MAX_IDENTITY_OPTION - 1 - PasswordDigest.HASH_LENGTH;
    /** Bytes {@link #makeUnique()} adds to the name. */
    static final int UNIQUE_LENGTH = 32;

    private final byte[] name;
    private int minGroupspecVersion = MAX_SUPPORTED_GROUPSPEC_VERSION;
    private boolean routingEnabled;
    private boolean multicastEnabled;
    private boolean objectReplicationEnabled;
    private boolean postingEnabled;
    private boolean serverChannelEnabled;
    private boolean peerToPeerDisabled;
    private boolean ipMulticastMemberUpdatesEnabled;
    private byte[] unique;
    private byte[] publishDigest;
    private byte[] publishPassword;
    private byte[] postingDigest;
    private byte[] postingPassword;
    private final List<Option> ipMulticastAddresses = new ArrayList<>();
    private final List<Option> bootstrapPeers = new ArrayList<>();

    /**
     * A specifier for the group named {@code name}, with every capability off.
     *
     * @throws GroupSpecException if the name is empty (Flash throws too) or longer than
     *     {@link #MAX_NAME_BYTES} in UTF-8
     */
    public GroupSpecifier(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new GroupSpecException("a group needs a non-empty name");
        }
        this.name = name.getBytes(StandardCharsets.UTF_8);
        if (this.name.length > MAX_NAME_BYTES) {
            throw new GroupSpecException("group name of " + this.name.length + " UTF-8 bytes, at most "
                    + MAX_NAME_BYTES + " are readable by every implementation");
        }
    }

    /**
     * The lowest groupspec version a player must support to join; 1 or 2. The default is 2, which
     * is what Flash gives every SWF of version 18 or later; a version-2 groupspec's group ID is a
     * double SHA-256 (spec §3.5), so version-1 and version-2 strings of the same settings name two
     * different groups.
     *
     * @throws GroupSpecException for another value
     */
    public GroupSpecifier setMinGroupspecVersion(int version) {
        if (version < 1 || version > MAX_SUPPORTED_GROUPSPEC_VERSION) {
            throw new GroupSpecException("groupspec version must be 1 or 2, got " + version);
        }
        minGroupspecVersion = version;
        return this;
    }

    public int getMinGroupspecVersion() {
        return minGroupspecVersion;
    }

    /** Directed routing ({@code sendToNearest}, {@code sendToNeighbor}). */
    public GroupSpecifier setRoutingEnabled(boolean enabled) {
        routingEnabled = enabled;
        return this;
    }

    public boolean isRoutingEnabled() {
        return routingEnabled;
    }

    /** Multicast NetStreams in the group. */
    public GroupSpecifier setMulticastEnabled(boolean enabled) {
        multicastEnabled = enabled;
        return this;
    }

    public boolean isMulticastEnabled() {
        return multicastEnabled;
    }

    /** Object replication. */
    public GroupSpecifier setObjectReplicationEnabled(boolean enabled) {
        objectReplicationEnabled = enabled;
        return this;
    }

    public boolean isObjectReplicationEnabled() {
        return objectReplicationEnabled;
    }

    /** Posting ({@code NetGroup.post}). */
    public GroupSpecifier setPostingEnabled(boolean enabled) {
        postingEnabled = enabled;
        return this;
    }

    public boolean isPostingEnabled() {
        return postingEnabled;
    }

    /** Members open a channel to the server, which introduces them to each other (spec §4). */
    public GroupSpecifier setServerChannelEnabled(boolean enabled) {
        serverChannelEnabled = enabled;
        return this;
    }

    public boolean isServerChannelEnabled() {
        return serverChannelEnabled;
    }

    /** No peer-to-peer connections: pure IP multicast. */
    public GroupSpecifier setPeerToPeerDisabled(boolean disabled) {
        peerToPeerDisabled = disabled;
        return this;
    }

    public boolean isPeerToPeerDisabled() {
        return peerToPeerDisabled;
    }

    /** Members exchange membership over the IP multicast addresses. */
    public GroupSpecifier setIpMulticastMemberUpdatesEnabled(boolean enabled) {
        ipMulticastMemberUpdatesEnabled = enabled;
        return this;
    }

    public boolean isIpMulticastMemberUpdatesEnabled() {
        return ipMulticastMemberUpdatesEnabled;
    }

    /**
     * Appends 32 random bytes to the group's identity, so that no one else picks the same group by
     * choosing the same name. Calling it again replaces them.
     */
    public GroupSpecifier makeUnique() {
        byte[] b = new byte[UNIQUE_LENGTH];
        Randomness.SECURE.nextBytes(b);
        return makeUnique(b);
    }

    /** As {@link #makeUnique()} with given bytes, so that tests can rebuild known groupspecs. */
    GroupSpecifier makeUnique(byte[] bytes) {
        unique = bytes.clone();
        return this;
    }

    /**
     * Sets the password publishers must hold, or with {@code null} removes it. The groupspec then
     * carries its digest (spec §3.2) and, with authorizations, the password in clear.
     *
     * @param salt mixed into the digest and carried in clear before it; null or empty for none
     * @throws GroupSpecException if the salt is longer than {@link #MAX_SALT_BYTES} in UTF-8
     */
    public GroupSpecifier setPublishPassword(String password, String salt) {
        publishPassword = utf8(password);
        publishDigest = digest(publishPassword, salt);
        return this;
    }

    /** As {@link #setPublishPassword}, for posting. */
    public GroupSpecifier setPostingPassword(String password, String salt) {
        postingPassword = utf8(password);
        postingDigest = digest(postingPassword, salt);
        return this;
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] digest(byte[] password, String salt) {
        if (password == null) {
            return null;
        }
        byte[] s = salt == null ? new byte[0] : utf8(salt);
        if (s.length > MAX_SALT_BYTES) {
            throw new GroupSpecException("salt of " + s.length + " UTF-8 bytes, at most " + MAX_SALT_BYTES);
        }
        return PasswordDigest.of(password, s);
    }

    /**
     * Adds an IP multicast address in Flash's one-string form, {@code "224.0.0.254:30000"} or
     * {@code "[ff0e::1]:30000"}.
     *
     * @throws GroupSpecException if it is not an IP multicast literal with a port
     */
    public GroupSpecifier addIPMulticastAddress(String addressAndPort) {
        ipMulticastAddresses.add(ipMulticastOption(IpMulticastAddress.parse(addressAndPort)));
        return this;
    }

    /**
     * Adds an IP multicast address. A source (for source-specific multicast) is checked but, as in
     * Flash, not written: Flash's own code cuts it off (spec §3.1, note on the source).
     *
     * @param source the sender's literal address, or null
     * @throws GroupSpecException if an argument is not what it should be
     */
    public GroupSpecifier addIPMulticastAddress(String address, int port, String source) {
        ipMulticastAddresses.add(ipMulticastOption(IpMulticastAddress.of(address, port, source)));
        return this;
    }

    /**
     * Adds a peer that members may contact to enter the group without a server.
     *
     * @param peerId 64 hex digits
     * @throws GroupSpecException if it is not a peer ID
     */
    public GroupSpecifier addBootstrapPeer(String peerId) {
        bootstrapPeers.add(bootstrapPeerOption(peerId));
        return this;
    }

    /** The groupspec with the passwords in clear, for members who publish or post. */
    public String groupspecWithAuthorizations() {
        return groupspecWithoutAuthorizations() + authorizations();
    }

    /** The groupspec without the passwords: members can receive but not publish or post. */
    public String groupspecWithoutAuthorizations() {
        ByteWriter w = new ByteWriter(256);
        if (minGroupspecVersion > 1) {
            option(w, VERSION, Vlu.encode(minGroupspecVersion));
        }
        flag(w, routingEnabled, ROUTING);
        flag(w, multicastEnabled, MULTICAST);
        flag(w, objectReplicationEnabled, OBJECT_REPLICATION);
        flag(w, postingEnabled, POSTING);
        optional(w, PUBLISH_DIGEST, publishDigest);
        optional(w, POSTING_DIGEST, postingDigest);
        flag(w, serverChannelEnabled, SERVER_CHANNEL);
        flag(w, peerToPeerDisabled, PEER_TO_PEER_DISABLED);
        option(w, NAME, name);
        optional(w, NAME, unique);
        flag(w, ipMulticastMemberUpdatesEnabled, IP_MULTICAST_MEMBER_UPDATES);
        w.u8(Option.MARKER);
        // Flash writes every IP multicast address, then every bootstrap peer, whatever the order of the calls.
        Option.encodeList(w, ipMulticastAddresses, false);
        Option.encodeList(w, bootstrapPeers, false);
        return PREFIX + Hex.encode(w.toByteArray());
    }

    /** The passwords in clear, publish then posting, as hex options to append to a groupspec. */
    public String authorizations() {
        ByteWriter w = new ByteWriter(64);
        optional(w, PUBLISH_AUTHORIZATION, publishPassword);
        optional(w, POSTING_AUTHORIZATION, postingPassword);
        return Hex.encode(w.toByteArray());
    }

    /** The same as {@link #groupspecWithAuthorizations()}, as in Flash. */
    @Override
    public String toString() {
        return groupspecWithAuthorizations();
    }

    /** The publish password in clear, as hex to append to a groupspec without authorizations. */
    public static String encodePublishAuthorization(String password) {
        return hex(new Option(PUBLISH_AUTHORIZATION, Objects.requireNonNull(utf8(password), "password")));
    }

    /** The posting password in clear, as hex to append to a groupspec without authorizations. */
    public static String encodePostingAuthorization(String password) {
        return hex(new Option(POSTING_AUTHORIZATION, Objects.requireNonNull(utf8(password), "password")));
    }

    /** One IP multicast address (see {@link #addIPMulticastAddress(String)}), as hex to append to a groupspec. */
    public static String encodeIPMulticastAddressSpec(String addressAndPort) {
        return hex(ipMulticastOption(IpMulticastAddress.parse(addressAndPort)));
    }

    /** One IP multicast address (see {@link #addIPMulticastAddress(String, int, String)}), as hex. */
    public static String encodeIPMulticastAddressSpec(String address, int port, String source) {
        return hex(ipMulticastOption(IpMulticastAddress.of(address, port, source)));
    }

    /** One bootstrap peer (see {@link #addBootstrapPeer}), as hex to append to a groupspec. */
    public static String encodeBootstrapPeerIDSpec(String peerId) {
        return hex(bootstrapPeerOption(peerId));
    }

    private static Option ipMulticastOption(IpMulticastAddress address) {
        return new Option(IP_MULTICAST_ADDRESS, new IpMulticastAddress(address.group(), Optional.empty()).encode());
    }

    private static Option bootstrapPeerOption(String peerId) {
        try {
            return new Option(BOOTSTRAP_PEER, GroupAddress.decode64(peerId, "peer ID"));
        } catch (IllegalArgumentException e) {
            throw new GroupSpecException("a bootstrap peer is a peer ID of 64 hex digits: \"" + peerId + "\"");
        }
    }

    private static String hex(Option o) {
        ByteWriter w = new ByteWriter(o.encodedSize());
        o.encode(w);
        return Hex.encode(w.toByteArray());
    }

    private static void flag(ByteWriter w, boolean set, int type) {
        if (set) {
            option(w, type, new byte[0]);
        }
    }

    private static void optional(ByteWriter w, int type, byte[] value) {
        if (value != null) {
            option(w, type, value);
        }
    }

    private static void option(ByteWriter w, int type, byte[] value) {
        new Option(type, value).encode(w);
    }

    /** The random source of {@link #makeUnique()}, created when first needed. */
    private static final class Randomness {
        static final SecureRandom SECURE = new SecureRandom();
    }
}
