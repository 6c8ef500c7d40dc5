package io.rtmfp4j.flash.amf;

import java.util.ArrayList;
import java.util.List;

/**
 * What the AMF0 and AMF3 readers share: values read one by one or all at once from untrusted
 * bytes, with the reference tables of one message.
 */
public abstract sealed class AmfReader permits Amf0Reader, Amf3Reader {
    final AmfInput in;

    AmfReader(AmfInput in) {
        this.in = in;
    }

    public boolean hasRemaining() {
        return in.hasRemaining();
    }

    public Object readValue() {
        return value(0);
    }

    /** Every value up to the end of the input. */
    public List<Object> readAll() {
        List<Object> values = new ArrayList<>();
        while (in.hasRemaining()) {
            values.add(readValue());
        }
        return values;
    }

    /** One value inside {@code depth} containers. */
    abstract Object value(int depth);
}
