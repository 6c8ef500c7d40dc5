package io.rtmfp4j.flash.group;

/** Which neighbor {@link NetGroup#sendToNeighbor} sends to (Flash's {@code NetGroupSendMode}). */
public enum NetGroupSendMode {
    /** The neighbor with the nearest group address above this member's. */
    NEXT_INCREASING("nextIncreasing"),
    /** The neighbor with the nearest group address below this member's. */
    NEXT_DECREASING("nextDecreasing");

    private final String flashName;

    NetGroupSendMode(String flashName) {
        this.flashName = flashName;
    }

    public String flashName() {
        return flashName;
    }
}
