package io.rtmfp4j.flash.amf;

/**
 * ActionScript's {@code undefined}, which AMF keeps apart from {@code null} (AMF0 0x06, AMF3 0x00).
 * Java has no such value, so it is this singleton; {@link Amf#UNDEFINED} names it.
 */
public enum Undefined {
    INSTANCE
}
