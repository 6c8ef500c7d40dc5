package io.rtmfp4j.flash.net;

import java.util.Map;
import java.util.Optional;

/**
 * A connected peer as the server's presence service knows it (see docs/server.md, "Presence").
 *
 * @param peerId   64 lowercase hex digits
 * @param nickname the name it registered at connect, if any
 */
public record PeerInfo(String peerId, Optional<String> nickname) {
    static PeerInfo from(Object result) {
        if (result instanceof Map<?, ?> map && map.get("peerId") instanceof String id && PeerIds.isPeerId(id)) {
            Object name = map.get("nickname");
            return new PeerInfo(PeerIds.normalize(id), Optional.ofNullable(name instanceof String s ? s : null));
        }
        throw new NetStatusException(NetStatus.of("error", io.rtmfp4j.flash.tc.Status.CALL_FAILED,
                "the server answered lookup without a peer ID"));
    }
}
