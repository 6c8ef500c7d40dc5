package io.rtmfp4j.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * How log lines are written: {@code text} (logback.xml, set up when logging starts) or {@code json}
 * (logback-json.xml, one object per line for log collectors). Chosen on the command line, which is
 * read after logging has started, so choosing json configures logging again.
 */
enum LogFormat {
    text("/logback.xml"),
    json("/logback-json.xml");

    private final String resource;

    LogFormat(String resource) {
        this.resource = resource;
    }

    /** Reconfigures Logback with this format's file; does nothing when another SLF4J backend is in use. */
    void install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        URL config = LogFormat.class.getResource(resource);
        if (config == null) {
            throw new IllegalStateException(resource + " is missing from the jar");
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging from " + resource + ": " + e.getMessage(), e);
        }
    }
}
