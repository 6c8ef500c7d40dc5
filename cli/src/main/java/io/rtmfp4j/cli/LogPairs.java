package io.rtmfp4j.cli;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * The {@code %pairs} of logback.xml: a log line's key/value pairs, each as {@code " key=value"}, or
 * nothing when it has none. Logback's {@code %kvp{NONE}} writes the same pairs without the leading
 * space, and leaves a lone space to remove when there are none; that took a regular expression
 * over every line, and a server writes two lines per session (open and close).
 */
public final class LogPairs extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null || pairs.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(pairs.size() * 24);
        for (KeyValuePair p : pairs) {
            b.append(' ').append(p.key).append('=').append(p.value);
        }
        return b.toString();
    }
}
