package io.rtmfp4j.fuzz;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The campaign's decoders, on the default build: wired up, and quiet on the inputs any run starts with. */
class DecoderTest {
    @ParameterizedTest
    @EnumSource(Decoder.class)
    void emptyAndRandomInputsStayWithinTheContract(Decoder decoder) {
        Random random = new Random(decoder.ordinal());
        for (int i = 0; i < 2_000; i++) {
            byte[] input = new byte[random.nextInt(64)];
            random.nextBytes(input);
            assertThatCode(() -> decoder.decode(input)).as("input %d", i).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest
    @EnumSource(Decoder.class)
    void anExceptionOutsideTheContractEscapes(Decoder decoder) {
        // null is no input a decoder is given: what it throws then is outside every contract.
        assertThatThrownBy(() -> decoder.decode(null)).isInstanceOf(NullPointerException.class);
    }
}
