package io.rtmfp4j.flash.amf;

import java.util.List;

/**
 * Shortcuts for whole messages of AMF values, and the constants shared by the readers and
 * writers. See {@code docs/flash.md} for how Java types map to AMF types.
 */
public final class Amf {
    /** ActionScript's {@code undefined}. */
    public static final Undefined UNDEFINED = Undefined.INSTANCE;

    /**
     * How many containers deep a value may nest unless a reader or writer is told otherwise. Real
     * messages nest a handful deep; the bound keeps hostile input from exhausting the stack.
     */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private Amf() {
    }

    /** Every AMF0 value in {@code data}, with one reference table for all of them. */
    public static List<Object> decodeAmf0(byte[] data) {
        return new Amf0Reader(data).readAll();
    }

    /** Every AMF3 value in {@code data}, with one set of reference tables for all of them. */
    public static List<Object> decodeAmf3(byte[] data) {
        return new Amf3Reader(data).readAll();
    }

    /** The values one after another in AMF0, sharing one reference table. */
    public static byte[] encodeAmf0(Object... values) {
        Amf0Writer w = new Amf0Writer();
        for (Object v : values) {
            w.writeValue(v);
        }
        return w.toByteArray();
    }

    /** The values one after another in AMF3, sharing one set of reference tables. */
    public static byte[] encodeAmf3(Object... values) {
        Amf3Writer w = new Amf3Writer();
        for (Object v : values) {
            w.writeValue(v);
        }
        return w.toByteArray();
    }
}
