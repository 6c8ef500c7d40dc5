package io.rtmfp4j.flash.group;

/**
 * The option types of a groupspec (netgroup spec §3.1), in one place for the writer
 * ({@link GroupSpecifier}) and the reader ({@link GroupSpec}).
 */
final class GroupSpecOption {
    static final String PREFIX = "G:";

    // Identity section (before the 00 terminator): these make the group ID.
    static final int ROUTING = 0x00;
    static final int MULTICAST = 0x01;
    static final int OBJECT_REPLICATION = 0x02;
    static final int POSTING = 0x03;
    static final int PUBLISH_DIGEST = 0x05;
    static final int POSTING_DIGEST = 0x07;
    static final int SERVER_CHANNEL = 0x0C;
    static final int PEER_TO_PEER_DISABLED = 0x0D;
    /** The name, and a second time the {@code makeUnique} bytes. */
    static final int NAME = 0x0E;
    static final int IP_MULTICAST_MEMBER_UPDATES = 0x1B;
    static final int VERSION = 0x7F;

    // After the terminator: extras and authorizations, which do not change the group.
    static final int IP_MULTICAST_ADDRESS = 0x0A;
    static final int BOOTSTRAP_PEER = 0x0B;
    static final int PUBLISH_AUTHORIZATION = 0x15;
    static final int POSTING_AUTHORIZATION = 0x17;

    /**
     * Largest identity option (type and value) librtmfp can read: it takes each length as one
     * byte (spec §3.4), and a VLU is one byte only below 0x80.
     */
    static final int MAX_IDENTITY_OPTION = 0x7F;

    private GroupSpecOption() {
    }
}
