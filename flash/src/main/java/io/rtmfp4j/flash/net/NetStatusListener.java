package io.rtmfp4j.flash.net;

/** Receives status events; see {@link NetStatus}. */
@FunctionalInterface
public interface NetStatusListener {
    void onStatus(NetStatus status);
}
