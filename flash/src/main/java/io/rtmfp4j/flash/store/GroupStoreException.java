package io.rtmfp4j.flash.store;

/** A {@link GroupStore} request that could not be carried out: no answer, or the store closed. */
public final class GroupStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GroupStoreException(String message) {
        super(message);
    }
}
