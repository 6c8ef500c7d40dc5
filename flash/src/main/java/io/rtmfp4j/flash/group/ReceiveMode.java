package io.rtmfp4j.flash.group;

/**
 * Which directed messages a member takes as its own (Flash's {@code NetGroupReceiveMode}, netgroup
 * spec §10). Neighbors learn it from the group begin message (§5.3).
 */
public enum ReceiveMode {
    /** Only messages for this member's exact group address (Flash's default). */
    EXACT("exact"),
    /** Messages for any address this member is nearest to. */
    NEAREST("nearest");

    private final String flashName;

    ReceiveMode(String flashName) {
        this.flashName = flashName;
    }

    /** The string Flash uses: {@code "exact"} or {@code "nearest"}. */
    public String flashName() {
        return flashName;
    }
}
