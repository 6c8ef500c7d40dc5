package io.rtmfp4j.core.session;

/** What an application does with the messages of a {@link ReceiveFlow}; called on the endpoint's loop thread. */
public interface ReceiveFlowHandler {
    /** One whole message, reassembled from its fragments. The array is the handler's to keep. */
    void onMessage(ReceiveFlow flow, byte[] message);

    /** The sender closed the flow and every message before its final sequence number was delivered or abandoned. */
    default void onComplete(ReceiveFlow flow) {
    }
}
