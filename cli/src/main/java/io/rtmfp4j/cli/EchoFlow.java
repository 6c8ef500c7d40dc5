package io.rtmfp4j.cli;

import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.SendFlowListener;
import io.rtmfp4j.core.session.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rtmfp server --echo}: every message of an accepted flow goes back on a return flow
 * associated with it, as rtmfp-cpp's echoserver does: the return flow's metadata is the incoming
 * flow's with {@code " return"} appended, each echo may take 60 s to start and to finish, the
 * buffers are 16 MiB in and 2 MiB out, and delivery is held while the return flow's buffer is
 * full. When the return flow is rejected the incoming flow is still taken, and its messages are
 * dropped (which makes the server a discard sink for {@code rtmfp bench throughput}). The return
 * flow closes once the incoming flow is complete. Loop thread only.
 */
final class EchoFlow implements ReceiveFlowHandler, SendFlowListener {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.server");
    private static final byte[] RETURN_TAG = " return".getBytes(StandardCharsets.US_ASCII);
    private static final WriteOptions ECHO = new WriteOptions(Duration.ofSeconds(60), Duration.ofSeconds(60), true, null);
    private static final long RECEIVE_BUFFER = 16L << 20;
    private static final long SEND_BUFFER = 2L << 20;

    private final ReceiveFlow in;
    private SendFlow out;
    private long messages;
    private long bytes;

    private EchoFlow(ReceiveFlow in) {
        this.in = in;
    }

    /** Takes {@code in} and opens its return flow; rejects it when that is impossible. */
    static void accept(ReceiveFlow in) {
        byte[] metadata = in.metadata();
        byte[] returnMetadata = Arrays.copyOf(metadata, metadata.length + RETURN_TAG.length);
        System.arraycopy(RETURN_TAG, 0, returnMetadata, metadata.length, RETURN_TAG.length);
        if (returnMetadata.length > SendFlow.MAX_METADATA_SIZE) {
            log.info("flow {} from {}: metadata too long to echo, rejected", in.flowId(), in.session().destination());
            in.reject(0);
            return;
        }
        EchoFlow echo = new EchoFlow(in);
        echo.out = in.session().openFlow(returnMetadata, in, SendFlow.DEFAULT_PRIORITY);
        echo.out.setListener(echo);
        echo.out.setSendBufferCapacity(SEND_BUFFER);
        in.setReceiveCapacity(RECEIVE_BUFFER);
        in.accept(echo);
        log.info("flow {} from {} peer {} metadata \"{}\": echoing", in.flowId(), in.session().destination(),
                in.session().farPeerId().orElse("?"), EchoClient.printable(metadata));
    }

    @Override
    public void onMessage(ReceiveFlow flow, byte[] message) {
        messages++;
        bytes += message.length;
        if (out == null || out.state() != SendFlow.State.OPEN) {
            return;
        }
        out.write(message, 0, message.length, ECHO);
        if (!out.isWritable()) {
            in.pause();
        }
    }

    @Override
    public void onWritable(SendFlow flow) {
        in.resume();
    }

    @Override
    public void onException(SendFlow flow, long code) {
        log.info("flow {} from {}: return flow rejected (code {}), discarding what arrives", in.flowId(),
                in.session().destination(), code);
        out = null;
        in.resume();
    }

    @Override
    public void onComplete(ReceiveFlow flow) {
        log.info("flow {} from {} complete: {} messages, {} bytes", in.flowId(), in.session().destination(), messages,
                bytes);
        if (out != null) {
            out.close();
        }
    }
}
