package io.rtmfp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerMemoryTest {
    @Test
    void aJvmIsToldFromAnotherProcess() throws Exception {
        assertThat(ServerMemory.isJvm(ProcessHandle.current().pid())).isTrue();
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            assertThat(ServerMemory.isJvm(sleeper.pid())).isFalse();
            // Not attached to at all: jcmd would wait for an answer a C++ server never gives.
            assertThat(ServerMemory.heapUsedAfterGc(sleeper.pid())).isEmpty();
            assertThat(sleeper.isAlive()).isTrue();
        } finally {
            sleeper.destroy();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProcessThatIsGoneIsNoJvm() {
        assertThat(ServerMemory.isJvm(Long.MAX_VALUE)).isFalse();
    }
}
