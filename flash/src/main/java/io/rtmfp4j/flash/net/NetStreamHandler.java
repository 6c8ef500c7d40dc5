package io.rtmfp4j.flash.net;

import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.tc.DataMessage;
import io.rtmfp4j.flash.tc.TcMessage;
import java.util.List;

/**
 * What a {@link NetStream} reports: status events, and on a playing stream the messages its
 * publisher sends. Runs on the connection's loop thread unless it was given an executor. Every
 * method has a default, so implement only what you need.
 */
public interface NetStreamHandler {
    /** The data message a publisher sends every new subscriber (spec §6.8); it grants sample access in Flash. */
    String SAMPLE_ACCESS = "|RtmpSampleAccess";

    /** {@code NetStream.Play.Start}, {@code NetStream.Connect.Success}, ... */
    default void onStatus(NetStatus status) {
    }

    /**
     * Every audio (8), video (9) and data (0x12, 0x0f) message as it arrived, with its timestamp
     * in milliseconds; the bytes are the FLV tag body. The default decodes data messages and
     * hands them to {@link #onData}, except {@code |RtmpSampleAccess}, which Flash players
     * consume themselves; override it to record or render media.
     */
    default void onMessage(TcMessage message) {
        if (message.type() != TcMessage.DATA_AMF0 && message.type() != TcMessage.DATA_AMF3) {
            return;
        }
        try {
            NetStream.toOnData(this, DataMessage.decode(message));
        } catch (AmfException malformed) {
            // A peer's garbage is dropped, as on every other input path.
        }
    }

    /** A data message the publisher sent with {@link NetStream#send}: its handler name and arguments. */
    default void onData(String handler, List<Object> arguments) {
    }
}
