package io.rtmfp4j.core.session;

import io.rtmfp4j.core.chunk.Chunk;
import java.util.ArrayList;
import java.util.List;

/** Chunks being gathered for one session packet, within the cleartext size limit. */
final class PacketBuilder {
    /** Session packets stay at or below this many cleartext bytes (rtmfp-cpp MAX_SESSION_PACKET_LENGTH, spec P28). */
    static final int MAX_SESSION_PACKET = 1200;
    /** Flags, timestamp and timestamp echo. */
    static final int HEADER = 5;

    private final List<Chunk> chunks = new ArrayList<>();
    private int size = HEADER;
    private boolean timeCritical;
    private boolean carriesData;

    boolean fits(Chunk c) {
        return size + c.encodedSize() <= MAX_SESSION_PACKET;
    }

    int remaining() {
        return MAX_SESSION_PACKET - size;
    }

    void add(Chunk c) {
        chunks.add(c);
        size += c.encodedSize();
    }

    boolean isEmpty() {
        return chunks.isEmpty();
    }

    List<Chunk> chunks() {
        return chunks;
    }

    void markTimeCritical() {
        timeCritical = true;
    }

    boolean timeCritical() {
        return timeCritical;
    }

    void markData() {
        carriesData = true;
    }

    boolean carriesData() {
        return carriesData;
    }
}
