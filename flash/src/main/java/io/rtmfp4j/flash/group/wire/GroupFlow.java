package io.rtmfp4j.flash.group.wire;

import java.util.Arrays;
import java.util.Optional;

/**
 * The flows NetGroup traffic travels on, told apart by their user metadata (netgroup spec §1,
 * §16). A receiver matches by prefix, as librtmfp does, so metadata that continues past these
 * bytes still counts; a sender writes exactly {@link #metadata()}.
 */
public enum GroupFlow {
    /** "GC": the server channel, client to server and back (spec §4). */
    SERVER_CHANNEL(0x47, 0x43),
    /** "GR" 1C: one per direction per neighbor: group connect, begin, reports, disconnect (spec §5, §6). */
    REPORT(0x47, 0x52, 0x1c),
    /** "GR" 1D: Flash's group message flow, probably directed routing; its content is not decoded (spec §10). */
    MESSAGE(0x47, 0x52, 0x1d),
    /** "GR" 11: per multicast stream and neighbor: announcement, fragments map, push and pull (spec §8). */
    MEDIA_REPORT(0x47, 0x52, 0x11),
    /** "GR" 12: per multicast stream and neighbor: media fragments (spec §8.6). */
    MEDIA(0x47, 0x52, 0x12),
    /** "GR" 18: posting, said to carry key announcements (spec §9). */
    POSTING_KEYS(0x47, 0x52, 0x18),
    /** "GR" 19: posting, said to carry bodies (spec §9). */
    POSTING_VALUES(0x47, 0x52, 0x19),
    /** "GR" F0: this project's own posting, only toward peers known to be ours (spec §16). */
    PRIVATE_POSTING(0x47, 0x52, 0xf0),
    /** "GR" F1: this project's own directed routing (spec §16). */
    PRIVATE_ROUTING(0x47, 0x52, 0xf1),
    /** "GR" F2: this project's own object replication (spec §16). */
    PRIVATE_REPLICATION(0x47, 0x52, 0xf2);

    private static final GroupFlow[] ALL = values();

    private final byte[] metadata;

    GroupFlow(int... bytes) {
        metadata = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            metadata[i] = (byte) bytes[i];
        }
    }

    /** The flow metadata to send (the value of the user metadata option, without its type byte). */
    public byte[] metadata() {
        return metadata.clone();
    }

    /** Whether {@code flowMetadata} starts with this kind's metadata. */
    public boolean matches(byte[] flowMetadata) {
        return flowMetadata.length >= metadata.length
                && Arrays.equals(flowMetadata, 0, metadata.length, metadata, 0, metadata.length);
    }

    /** The kind of group flow {@code flowMetadata} opens, if it is one. */
    public static Optional<GroupFlow> kindOf(byte[] flowMetadata) {
        for (GroupFlow f : ALL) {
            if (f.matches(flowMetadata)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
