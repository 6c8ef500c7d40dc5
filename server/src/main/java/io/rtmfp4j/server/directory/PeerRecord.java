package io.rtmfp4j.server.directory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A connected peer as the directory knows it.
 *
 * @param peerId   64 lowercase hex digits
 * @param app      the application it connected to
 * @param nickname the name it registered with its connect, or null
 * @param observed its address as the server sees it (the public side of its NAT)
 * @param reported the local addresses it reported with setPeerInfo
 * @param node     the server node it is connected to ({@link #LOCAL} in a single process)
 */
public record PeerRecord(String peerId, String app, Nickname nickname, InetSocketAddress observed,
        List<InetSocketAddress> reported, String node) {
    public static final String LOCAL = "local";

    public PeerRecord {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(observed, "observed");
        reported = List.copyOf(reported);
    }
}
