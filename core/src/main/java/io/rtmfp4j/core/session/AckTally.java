package io.rtmfp4j.core.session;

/** What the acknowledgements of one received packet meant for congestion control (spec §5.8). */
final class AckTally {
    long acked;
    long lost;
    boolean anyLoss;
    boolean anyNak;
    boolean anyAck;

    void reset() {
        acked = 0;
        lost = 0;
        anyLoss = false;
        anyNak = false;
        anyAck = false;
    }
}
