package io.rtmfp4j.flash.group;

/** What a directed send did (Flash's {@code NetGroupSendResult}, netgroup spec §10). */
public enum NetGroupSendResult {
    /** The message went to a neighbor, or was delivered here. */
    SENT("sent"),
    /** No neighbor to send it to. */
    NO_ROUTE("no route"),
    /** The group does not route (routing not enabled), is closed, or the message cannot be encoded. */
    ERROR("error");

    private final String flashName;

    NetGroupSendResult(String flashName) {
        this.flashName = flashName;
    }

    /** The string Flash returns: {@code "sent"}, {@code "no route"} or {@code "error"}. */
    public String flashName() {
        return flashName;
    }
}
