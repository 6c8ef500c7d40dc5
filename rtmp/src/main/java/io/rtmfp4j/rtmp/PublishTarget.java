package io.rtmfp4j.rtmp;

import io.rtmfp4j.flash.tc.TcMessage;

/**
 * Where the streams that RTMP clients publish go. {@link #publish} is called on the client's
 * connection thread, and several clients may connect at once: implementations are thread-safe.
 */
public interface PublishTarget {
    /**
     * A client that connected to {@code app} publishes {@code name}: returns where its messages
     * go, or refuses with the reason the client and the log will see.
     */
    Publication publish(String app, String name) throws PublishRefusedException;

    /** One client's publication, fed from its connection's thread. */
    interface Publication {
        /**
         * An audio, video or data message of the stream, as it came (a {@code @setDataFrame}
         * wrapper removed from the metadata it carries).
         */
        void message(TcMessage m);

        /** The publication ended: unpublished, deleted, or the connection closed or failed. Called once. */
        void end();
    }
}
