package io.rtmfp4j.fuzz;

/**
 * Jazzer's fuzz target: one {@link Decoder}, named by the first target argument
 * ({@code --target_args=AMF0}). An exception that escapes it is a finding.
 */
public final class DecoderTarget {
    private static Decoder decoder;

    private DecoderTarget() {
    }

    public static void fuzzerInitialize(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("name one decoder: --target_args=NAME");
        }
        decoder = Decoder.valueOf(args[0]);
    }

    public static void fuzzerTestOneInput(byte[] input) throws Exception {
        decoder.decode(input);
    }
}
