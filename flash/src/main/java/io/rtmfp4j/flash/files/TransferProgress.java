package io.rtmfp4j.flash.files;

/**
 * How far one transfer has come, on either side.
 *
 * @param peerId        the other side
 * @param name          the file's name
 * @param size          the file's size in bytes
 * @param resumedAt     bytes the receiver already held when this transfer started
 * @param bytes         bytes delivered so far, counting those resumed from: on the sender the
 *                      ones the receiver acknowledged, on the receiver the ones written
 * @param elapsedMicros time since the transfer started (on the connection's clock)
 */
public record TransferProgress(String peerId, String name, long size, long resumedAt, long bytes,
        long elapsedMicros) {

    /** Bytes moved by this transfer, not counting those resumed from. */
    public long transferred() {
        return bytes - resumedAt;
    }

    /** 0..1; a file of 0 bytes is complete. */
    public double fraction() {
        return size == 0 ? 1 : (double) bytes / size;
    }

    /** Average rate of this transfer so far, in bytes per second; 0 before any time passed. */
    public double bytesPerSecond() {
        return elapsedMicros <= 0 ? 0 : transferred() * 1e6 / elapsedMicros;
    }

    /** Seconds left at the average rate so far; -1 while unknown. */
    public double etaSeconds() {
        double rate = bytesPerSecond();
        return rate <= 0 ? -1 : (size - bytes) / rate;
    }

    public boolean isComplete() {
        return bytes == size;
    }
}
