package io.rtmfp4j.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.chunk.NextUserData;
import io.rtmfp4j.core.chunk.UserData;
import io.rtmfp4j.core.session.FlowHostileInputTest.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reassembly when a message's fragments stop arriving in order at the cumulative sequence number
 * (spec §5.3): the fragments already held in order join the others, and the message is delivered
 * or discarded exactly as if they had been held together from the start.
 */
class ReceiveFlowReassemblyTest {
    private static final List<io.rtmfp4j.core.wire.Option> META = FlowHostileInputTest.META;

    private static byte[] bytes(int value, int length) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void aMessageCutShortByAbandonmentIsDiscardedAndTheNextOneArrives() {
        Pair p = new Pair(b -> b);
        p.send(new UserData(UserData.OPT | UserData.FRA_BEGIN, 1, 1, 0, META, bytes(1, 500)),
                new NextUserData(UserData.FRA_MIDDLE, List.of(), bytes(2, 500)));
        // The sender gave up on the rest of the message: an empty abandoned fragment, and the FSN past it.
        p.send(new UserData(UserData.ABN | UserData.FRA_END, 1, 3, 0, List.of(), new byte[0]));
        p.send(new UserData(UserData.FRA_WHOLE, 1, 4, 1, List.of(), bytes(7, 10)));
        assertThat(p.messages).hasSize(1);
        assertThat(p.messages.get(0)).isEqualTo(bytes(7, 10));
        assertThat(p.flows.get(0).bufferedBytes()).isZero();
        assertThat(p.errors).isEmpty();
    }

    @Test
    void aMessageHeldWhilePausedIsDeliveredWholeOnResume() {
        Pair p = new Pair(b -> b);
        p.send(new UserData(UserData.OPT | UserData.FRA_BEGIN, 1, 1, 0, META, bytes(1, 500)),
                new NextUserData(UserData.FRA_MIDDLE, List.of(), bytes(2, 500)));
        ReceiveFlow flow = p.flows.get(0);
        flow.pause();
        p.send(new UserData(UserData.FRA_END, 1, 3, 2, List.of(), bytes(3, 500)));
        assertThat(p.messages).isEmpty();
        assertThat(flow.bufferedBytes()).isEqualTo(1_500 + 3 * ReceiveFlow.FRAGMENT_SIZE_BIAS);
        flow.resume();
        assertThat(p.messages).hasSize(1);
        assertThat(p.messages.get(0)).startsWith(bytes(1, 500)).endsWith(bytes(3, 500)).hasSize(1_500);
        assertThat(flow.bufferedBytes()).isZero();
    }

    @Test
    void aGapAfterTheFirstFragmentIsFilledLater() {
        Pair p = new Pair(b -> b);
        p.send(new UserData(UserData.OPT | UserData.FRA_BEGIN, 1, 1, 0, META, bytes(1, 500)));
        p.send(new UserData(UserData.FRA_END, 1, 3, 2, List.of(), bytes(3, 500)));
        assertThat(p.messages).isEmpty();
        p.send(new UserData(UserData.FRA_MIDDLE, 1, 2, 1, List.of(), bytes(2, 500)));
        assertThat(p.messages).hasSize(1);
        byte[] m = p.messages.get(0);
        assertThat(m).hasSize(1_500);
        assertThat(m[0]).isEqualTo((byte) 1);
        assertThat(m[500]).isEqualTo((byte) 2);
        assertThat(m[1_000]).isEqualTo((byte) 3);
        assertThat(p.flows.get(0).bufferedBytes()).isZero();
        p.assertStillWorks();
    }
}
