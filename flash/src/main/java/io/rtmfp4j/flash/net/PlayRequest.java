package io.rtmfp4j.flash.net;

import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.flash.amf.AmfException;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.flash.tc.TcMessage;

/**
 * A flow a peer opened to us to play one of our direct-connection streams (spec §6.8): its first
 * command must be {@code play(name)}; later commands ({@code closeStream}, {@code receiveAudio},
 * {@code receiveVideo}) go to the subscription it became. The flow ending ends the subscription.
 */
final class PlayRequest implements ReceiveFlowHandler {
    private final DirectStreams streams;
    private final ReceiveFlow flow;
    private PeerStream subscription;
    private boolean answered;

    PlayRequest(DirectStreams streams, ReceiveFlow flow) {
        this.streams = streams;
        this.flow = flow;
    }

    void attach(PeerStream s) {
        subscription = s;
    }

    @Override
    public void onMessage(ReceiveFlow f, byte[] bytes) {
        Command c;
        try {
            TcMessage m = TcMessage.decode(bytes);
            if (m.type() != TcMessage.COMMAND_AMF0 && m.type() != TcMessage.COMMAND_AMF3) {
                return;
            }
            c = Command.decode(m);
        } catch (AmfException malformed) {
            return;
        }
        if (subscription != null) {
            subscription.onSubscriberCommand(c);
        } else if (!answered && c.name().equals(Command.PLAY) && !c.arguments().isEmpty()
                && c.arguments().get(0) instanceof String name) {
            answered = true;
            streams.playRequested(flow, name, this);
        }
    }

    @Override
    public void onComplete(ReceiveFlow f) {
        if (subscription != null) {
            subscription.subscriberLeft();
        }
    }

    /** No stream of that name here: say so on a return flow, as a publisher would answer. */
    void notFound(String name) {
        SendFlow answer = flow.session().openFlow(flow.metadata(), flow, ServerChannel.CONTROL_PRIORITY);
        answer.write(Command.onStatus(Status.info(Status.LEVEL_ERROR, Status.PLAY_STREAM_NOT_FOUND,
                "no stream named '" + name + "' is published here")).toMessage().encode());
        answer.close();
    }
}
