package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.amf.Amf;
import io.rtmfp4j.flash.amf.AmfException;
import java.util.List;

/**
 * The body of a posting or a directed message: one value in AMF3 (netgroup spec §16), so any value
 * the AMF codecs carry can be posted or sent, and the posting's message ID is the SHA-256 of these
 * bytes.
 */
final class MessageBody {
    private MessageBody() {
    }

    /**
     * @throws IllegalArgumentException if AMF cannot carry the value
     */
    static byte[] encode(Object message) {
        try {
            return Amf.encodeAmf3(message);
        } catch (AmfException | ClassCastException e) {
            throw new IllegalArgumentException("the message cannot be encoded in AMF: " + e.getMessage(), e);
        }
    }

    /**
     * @throws AmfException if the body is not exactly one AMF3 value
     */
    static Object decode(byte[] body) {
        List<Object> values = Amf.decodeAmf3(body);
        if (values.size() != 1) {
            throw new AmfException("a message body is one AMF value, not " + values.size());
        }
        return values.get(0);
    }
}
