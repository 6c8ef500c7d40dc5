package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlCharactersAndBidiOverridesAreReplacedTabsAndTextKept() {
        assertThat(TerminalText.clean("plain text, ça va ✓\tok")).isEqualTo("plain text, ça va ✓\tok");
        assertThat(TerminalText.clean("a\nb\rc\u0000d\u007fe\u009bf")).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf");
        assertThat(TerminalText.clean("\u202ereversed\u2066isolated\u2069")).isEqualTo("\uFFFDreversed\uFFFDisolated\uFFFD");
    }
}
