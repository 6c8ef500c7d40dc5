package io.rtmfp4j.flash.group;

/**
 * A string that is not a well-formed groupspec (netgroup spec §3.4), or a {@link GroupSpecifier}
 * setting that would not make one. The message says what is wrong.
 *
 * <p>It is an {@link IllegalArgumentException}, as Flash throws an {@code ArgumentError} for a bad
 * groupspec: the string is the caller's argument, not bytes from the network.
 */
public final class GroupSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public GroupSpecException(String message) {
        super(message);
    }
}
