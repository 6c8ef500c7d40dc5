package io.rtmfp4j.cli;

/**
 * Text from the network made safe to print on one terminal line: a peer could otherwise move
 * the cursor, rewrite earlier lines, forge a line of its own (with a newline) or reorder what
 * follows (with bidirectional overrides).
 */
final class TerminalText {
    /** What stands for each character left out. */
    static final char REPLACEMENT = '\uFFFD';

    private TerminalText() {
    }

    /**
     * {@code text} with every control character (C0, DEL, C1: escape sequences, newlines) and
     * every bidirectional embedding, override or isolate replaced by {@link #REPLACEMENT}; tabs
     * are kept.
     */
    static String clean(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                if (b == null) {
                    b = new StringBuilder(text.length()).append(text, 0, i);
                }
                b.append(REPLACEMENT);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }

    private static boolean unsafe(char c) {
        return c != '\t' && Character.isISOControl(c)
                || c >= '\u202a' && c <= '\u202e'
                || c >= '\u2066' && c <= '\u2069';
    }
}
