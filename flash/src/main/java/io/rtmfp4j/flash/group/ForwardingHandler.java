package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;

/**
 * A flow's handler until the flow's first message says who it is for: a {@code GR 1C} flow names
 * its group only in its group connect (netgroup spec §5.2). The first message goes to
 * {@code first}, which may {@linkplain #forwardTo hand} the rest to the owner it found.
 */
final class ForwardingHandler implements ReceiveFlowHandler {
    interface First {
        void onFirst(ReceiveFlow flow, byte[] message, ForwardingHandler handler);
    }

    private final First first;
    private ReceiveFlowHandler next;
    private boolean seenFirst;

    ForwardingHandler(First first) {
        this.first = first;
    }

    void forwardTo(ReceiveFlowHandler handler) {
        next = handler;
    }

    @Override
    public void onMessage(ReceiveFlow flow, byte[] message) {
        if (next != null) {
            next.onMessage(flow, message);
        } else if (!seenFirst) {
            seenFirst = true;
            first.onFirst(flow, message, this);
        }
    }

    @Override
    public void onComplete(ReceiveFlow flow) {
        if (next != null) {
            next.onComplete(flow);
        }
    }
}
