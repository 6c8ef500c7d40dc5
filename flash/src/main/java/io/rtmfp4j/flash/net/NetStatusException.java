package io.rtmfp4j.flash.net;

/** A call, connect or lookup failed; the status says why, with Flash's code. */
public final class NetStatusException extends RuntimeException {
    private final transient NetStatus status;

    public NetStatusException(NetStatus status) {
        super(status.toString());
        this.status = status;
    }

    public NetStatus status() {
        return status;
    }
}
