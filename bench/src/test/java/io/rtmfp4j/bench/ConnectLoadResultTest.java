package io.rtmfp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectLoadResultTest {
    private static final ConnectLoad.Params PARAMS = new ConnectLoad.Params(
            List.of(new ConnectLoad.Target("rtmfp://127.0.0.1:1935/app", new InetSocketAddress("127.0.0.1", 1935))),
            3000, 8, 0, Duration.ofSeconds(1), Duration.ofSeconds(60), 1);

    @Test
    void serverCpuPerConnectIsTheConnectPhasesCpuOverTheClientsConnected() {
        ConnectLoad.Result r = new ConnectLoad.Result(PARAMS, 3000, 3000, 0, 4.0, 42L, 1500L, null, null, null, null,
                new long[0], 0);

        assertThat(r.toJson()).contains("\"serverConnectCpuSeconds\":1.500,\"serverCpuMsPerConnect\":0.500");
    }

    @Test
    void aBatchOfSeveralCarriesItsNumberAndASingleRunNone() {
        ConnectLoad.Result r = new ConnectLoad.Result(PARAMS, 3000, 3000, 0, 4.0, null, null, null, null, null, null,
                new long[0], 0);

        assertThat(r.toJson(3)).startsWith("{\"bench\":\"connect\",\"batch\":3,\"server\":");
        assertThat(r.toJson()).startsWith("{\"bench\":\"connect\",\"server\":").doesNotContain("batch");
    }

    @Test
    void noServerCpuFigureWhenTheServerCouldNotBeRead() {
        ConnectLoad.Result r = new ConnectLoad.Result(PARAMS, 3000, 3000, 0, 4.0, null, null, null, null, null, null,
                new long[0], 0);

        assertThat(r.toJson()).doesNotContain("serverCpuMsPerConnect").contains("\"connectsPerSecond\":750.0");
    }

    @Test
    void theServersCpuIsReadFromProc() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
        ServerMemory.Servers self = new ServerMemory.Servers(List.of(ProcessHandle.current().pid()));
        Long before = self.cpuMillis();
        long selfBefore = ProcessCpuTest.selfCpuMillis();
        assertThat(ProcessCpuTest.burn(200)).isNotNegative();
        Long after = self.cpuMillis();

        assertThat(before).isNotNull();
        // /proc ticks are 10 ms: allow two ticks of rounding at each end.
        assertThat(after - before).isGreaterThanOrEqualTo(ProcessCpuTest.selfCpuMillis() - selfBefore - 40);
        assertThat(new ServerMemory.Servers(List.of()).cpuMillis()).isNull();
    }
}
