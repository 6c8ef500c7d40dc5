package io.rtmfp4j.flash.store;

/** What a member did with an entry it was given; the ordinal is the byte on the wire ({@link StoreMessage.Stored}). */
public enum StoreOutcome {
    /** Kept: it was new, newer than the version held, or that very version. */
    STORED,
    /** Not kept: the member holds a newer version. */
    STALE,
    /** Not kept: the key belongs to another writer (the first whose entry the member kept). */
    OTHER_WRITER,
    /** Not kept: the member holds as many entries as it may. */
    FULL,
    /** Not kept: the signature is not the writer's. */
    FORGED
}
