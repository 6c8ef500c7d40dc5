package io.rtmfp4j.flash.group;

/**
 * The order in which a member fetches the objects it wants (Flash's
 * {@code NetGroupReplicationStrategy}, netgroup spec §11).
 */
public enum ReplicationStrategy {
    /** The lowest wanted index first: objects arrive in order, as for playback (the default). */
    LOWEST_FIRST("lowestFirst"),
    /**
     * The wanted index that the fewest neighbors have first (ties at random): copies spread, so
     * that every member soon has something others want, as in swarming downloads.
     */
    RAREST_FIRST("rarestFirst");

    private final String flashName;

    ReplicationStrategy(String flashName) {
        this.flashName = flashName;
    }

    /** The string Flash uses: {@code "lowestFirst"} or {@code "rarestFirst"}. */
    public String flashName() {
        return flashName;
    }

    /** The strategy Flash calls {@code name}; null for any other string. */
    public static ReplicationStrategy fromFlashName(String name) {
        for (ReplicationStrategy s : values()) {
            if (s.flashName.equals(name)) {
                return s;
            }
        }
        return null;
    }
}
