package io.rtmfp4j.server.directory;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A name a client registers with its {@code connect} so that others can find it without knowing
 * its peer ID: 1 to 64 letters, digits, '.', '_' or '-', never 64 hex digits (which would read as
 * a peer ID). Names are compared without regard to case; the form the client gave is kept for display.
 *
 * An invalid name is refused with an {@link IllegalArgumentException} whose message is fit for
 * the client.
 *
 * @param display the nickname as the client spelled it
 */
public record Nickname(String display) {
    public static final int MAX_LENGTH = 64;
    /** Counted in code points: a letter outside the BMP is one character. */
    private static final Pattern VALID = Pattern.compile("[\\p{L}\\p{N}._-]{1," + MAX_LENGTH + "}");
    private static final Pattern PEER_ID = Pattern.compile("[0-9a-fA-F]{64}");

    public Nickname {
        Objects.requireNonNull(display, "display");
        if (!VALID.matcher(display).matches()) {
            throw new IllegalArgumentException("invalid nickname: 1 to " + MAX_LENGTH
                    + " letters, digits, '.', '_' or '-' are allowed");
        }
        if (isPeerId(display)) {
            throw new IllegalArgumentException("invalid nickname: 64 hex digits would read as a peer ID");
        }
    }

    /** Whether a text is a peer ID (64 hex digits, either case) rather than a nickname. */
    public static boolean isPeerId(String text) {
        return text.length() == 64 && PEER_ID.matcher(text).matches();
    }

    /**
     * The form two nicknames are compared in. Upper then lower case folds what lower case alone
     * does not ('ß' and "SS", the final and medial sigma); {@link Locale#ROOT} keeps it independent
     * of where the server runs.
     */
    public String key() {
        return display.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return display;
    }
}
