package io.rtmfp4j.cli;

import java.time.Duration;
import picocli.CommandLine;

/** Parses durations as people type them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or plain seconds. */
final class Durations implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))), value);
            } else if (v.endsWith("s")) {
                return positive(Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000)), value);
            } else if (v.endsWith("m")) {
                return positive(Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1))), value);
            } else if (v.endsWith("h")) {
                return positive(Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1))), value);
            }
            return positive(Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)), value);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (try 500ms, 10s, 2m, 1h)");
        }
    }

    /** {@code d} as people read it: whole seconds as "10 s", anything else in milliseconds. */
    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static Duration positive(Duration d, String value) {
        if (d.isNegative() || d.isZero()) {
            throw new CommandLine.TypeConversionException("duration must be positive: '" + value + "'");
        }
        return d;
    }
}
