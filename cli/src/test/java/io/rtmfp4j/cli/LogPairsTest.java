package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.Layout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LogPairsTest {
    /** The text format's lines are what they were with logback's %kvp and a regular expression. */
    @Test
    void textLinesAreThoseOfTheFormerPattern() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogPairs.class.getResource("/logback.xml"));
        @SuppressWarnings("unchecked")
        ConsoleAppender<ILoggingEvent> appender = (ConsoleAppender<ILoggingEvent>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        Layout<ILoggingEvent> now = ((LayoutWrappingEncoder<ILoggingEvent>) appender.getEncoder()).getLayout();
        PatternLayout before = new PatternLayout();
        before.setContext(context);
        before.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%replace( %kvp{NONE}){'^ $', ''}%n");
        before.start();

        List<List<KeyValuePair>> cases = List.of(
                List.of(),
                List.of(new KeyValuePair("address", "127.0.0.1:5000")),
                List.of(new KeyValuePair("peerId", "ab12"), new KeyValuePair("app", null),
                        new KeyValuePair("durationSeconds", 42L), new KeyValuePair("reason", "far close")));
        for (List<KeyValuePair> pairs : cases) {
            LoggingEvent event = new LoggingEvent(LogPairsTest.class.getName(), context.getLogger("rtmfp.server"),
                    Level.INFO, "session closed", null, null);
            event.setTimeStamp(1_700_000_000_123L);
            pairs.forEach(event::addKeyValuePair);
            assertThat(now.doLayout(event)).isEqualTo(before.doLayout(event));
        }
        LoggingEvent plain = new LoggingEvent(LogPairsTest.class.getName(), context.getLogger("rtmfp.server"),
                Level.WARN, "no pairs", null, null);
        assertThat(now.doLayout(plain)).endsWith(" WARN  server - no pairs" + System.lineSeparator());
        LoggingEvent two = new LoggingEvent(LogPairsTest.class.getName(), context.getLogger("rtmfp.server"),
                Level.INFO, "connect", null, null);
        two.addKeyValuePair(new KeyValuePair("peerId", "ab12"));
        two.addKeyValuePair(new KeyValuePair("app", "live"));
        assertThat(now.doLayout(two)).endsWith(" - connect peerId=ab12 app=live" + System.lineSeparator());
        context.stop();
    }
}
