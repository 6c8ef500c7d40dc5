package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.WireFormatException;

/**
 * A message of the group flows librtmfp reads with one type switch, whichever of
 * {@link GroupFlow#REPORT}, {@link GroupFlow#MESSAGE}, {@link GroupFlow#MEDIA_REPORT} or
 * {@link GroupFlow#MEDIA} it arrives on (netgroup spec §1): the first byte says which.
 */
public sealed interface GroupMessage
        permits GroupConnect, GroupBeginPrelude, GroupBegin, DisconnectRequest, GroupReport, StreamAnnouncement,
        StreamEnd, FragmentsMap, PushRequest, PullRequest, MediaFragment {

    /** The message as sent: type byte first. */
    byte[] encode();

    /**
     * Reads a message of any known type.
     *
     * @throws WireFormatException if it is empty, of an unknown type (librtmfp then refuses the
     *     flow, spec §1) or malformed
     */
    static GroupMessage decode(byte[] message) {
        if (message.length == 0) {
            throw new WireFormatException("empty group message");
        }
        int type = message[0] & 0xff;
        return switch (type) {
            case GroupConnect.TYPE -> GroupConnect.decode(message);
            case GroupBeginPrelude.TYPE -> GroupBeginPrelude.decode(message);
            case GroupBegin.TYPE_EXACT, GroupBegin.TYPE_NEAREST -> GroupBegin.decode(message);
            case DisconnectRequest.TYPE -> DisconnectRequest.decode(message);
            case GroupReport.TYPE -> GroupReport.decode(message);
            case StreamAnnouncement.TYPE -> StreamEnd.isEnd(message) ? StreamEnd.decode(message)
                    : StreamAnnouncement.decode(message);
            case FragmentsMap.TYPE -> FragmentsMap.decode(message);
            case PushRequest.TYPE -> PushRequest.decode(message);
            case PullRequest.TYPE -> PullRequest.decode(message);
            case MediaFragment.TYPE_WHOLE, MediaFragment.TYPE_FIRST, MediaFragment.TYPE_MIDDLE, MediaFragment.TYPE_LAST ->
                    MediaFragment.decode(message);
            default -> throw new WireFormatException("unknown group message type " + String.format("%02x", type));
        };
    }
}
