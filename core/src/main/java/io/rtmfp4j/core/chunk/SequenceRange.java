package io.rtmfp4j.core.chunk;

/** An inclusive range of received sequence numbers, {@code from..to}, as acknowledged in {@link AckRanges}. */
public record SequenceRange(long from, long to) {

    public SequenceRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad range " + from + ".." + to);
        }
    }
}
