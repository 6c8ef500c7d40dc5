package io.rtmfp4j.core.crypto;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Test identities, cached because generating static 4096-bit keys is slow. */
final class Identities {
    static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<List<DhGroup>, PeerIdentity> STATIC = new ConcurrentHashMap<>();
    private static final Map<List<DhGroup>, PeerIdentity> SERVER = new ConcurrentHashMap<>();
    private static volatile PeerIdentity flashClient;

    private Identities() {
    }

    static PeerIdentity flashClient() {
        if (flashClient == null) {
            flashClient = PeerIdentity.newFlashClient(RANDOM);
        }
        return flashClient;
    }

    static PeerIdentity staticPeer(List<DhGroup> groups) {
        return STATIC.computeIfAbsent(List.copyOf(groups), g -> PeerIdentity.newStatic(Optional.empty(), g, RANDOM));
    }

    static PeerIdentity server(List<DhGroup> groups) {
        return SERVER.computeIfAbsent(List.copyOf(groups), g -> PeerIdentity.newServer(Optional.of("srv"), g, RANDOM));
    }

    static PeerIdentity of(boolean isStatic, List<DhGroup> groups) {
        return isStatic ? staticPeer(groups) : server(groups);
    }
}
