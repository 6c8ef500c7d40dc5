package io.rtmfp4j.flash.flv;

import java.io.IOException;

/**
 * Raised by {@link FlvReader} when its input is not a well-formed FLV file: a missing or wrong
 * signature, an unsupported version, a header offset shorter than the header, or a tag larger
 * than the reader's limit.
 *
 * <p>It is an {@link IOException}, as {@code java.util.zip.ZipException} is, because FLV comes
 * from files and pipes whose readers already handle I/O failures; one {@code catch} covers both.
 * Problems a player would get past (a truncated end, wrong PreviousTagSize fields, unknown or
 * encrypted tags) are counted by the reader instead of raised.
 */
public final class FlvException extends IOException {
    private static final long serialVersionUID = 1L;

    public FlvException(String message) {
        super(message);
    }
}
