package io.rtmfp4j.cli;

import io.rtmfp4j.core.crypto.DhGroup;
import picocli.CommandLine;

/** Reads a Diffie-Hellman group by its RFC 7425 number: 2, 5, 14 or 16. */
final class DhGroupConverter implements CommandLine.ITypeConverter<DhGroup> {
    @Override
    public DhGroup convert(String value) {
        try {
            return DhGroup.byId(Long.parseLong(value.trim())).orElseThrow(() -> unknown(value));
        } catch (NumberFormatException e) {
            throw unknown(value);
        }
    }

    private static CommandLine.TypeConversionException unknown(String value) {
        return new CommandLine.TypeConversionException("unknown DH group '" + value + "' (supported: 2, 5, 14, 16)");
    }
}
