package io.rtmfp4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Checks of option values that picocli's types cannot express: a failed one is misuse (exit 2, with usage). */
final class Misuse {
    private Misuse() {
    }

    /** Throws misuse of {@code spec}'s command with {@code message} unless {@code ok}. */
    static void check(CommandSpec spec, boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }
}
