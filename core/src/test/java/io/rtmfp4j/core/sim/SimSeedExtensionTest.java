package io.rtmfp4j.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A failing simulation test must say which seed to replay: runs fixture tests that fail on
 * purpose through the JUnit launcher and reads what the extension attached and printed.
 */
class SimSeedExtensionTest {
    /** The fixtures only fail when run from here; found any other way they are skipped. */
    static volatile boolean running;

    @ExtendWith(SimSeedExtension.class)
    static class Fixtures {
        final SimNetwork field = new SimNetwork(1111);

        @BeforeEach
        void onlyFromTheOuterTest() {
            Assumptions.assumeTrue(running, "fixture for SimSeedExtensionTest");
        }

        @Test
        void fieldNetwork() {
            throw new AssertionError("boom");
        }

        @Test
        void localNetwork() {
            SimNetwork local = new SimNetwork(2222);
            throw new IllegalStateException("boom at " + local.now());
        }

        @Test
        void assumptionIsNotAFailure() {
            Assumptions.assumeTrue(false, "skip");
        }
    }

    @ExtendWith(SimSeedExtension.class)
    static class WithoutNetworks {
        @Test
        void plainFailure() {
            Assumptions.assumeTrue(running, "fixture for SimSeedExtensionTest");
            throw new AssertionError("boom");
        }
    }

    record Outcome(TestExecutionResult.Status status, Throwable failure, String stderr) {
        List<String> suppressed() {
            return failure == null ? List.of()
                    : Arrays.stream(failure.getSuppressed()).map(Throwable::getMessage).toList();
        }
    }

    @BeforeEach
    void arm() {
        running = true;
    }

    @AfterEach
    void disarm() {
        running = false;
    }

    static Outcome run(Class<?> fixture, String method) {
        List<TestExecutionResult> results = new ArrayList<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    results.add(result);
                }
            }
        };
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectMethod(fixture, method)).build(), listener);
        } finally {
            System.setErr(stderr);
        }
        assertThat(results).hasSize(1);
        TestExecutionResult r = results.get(0);
        return new Outcome(r.getStatus(), r.getThrowable().orElse(null), captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSeedOfANetworkInAFieldIsAttachedAndPrinted() {
        Outcome o = run(Fixtures.class, "fieldNetwork");

        assertThat(o.status()).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(o.failure()).isInstanceOf(AssertionError.class).hasMessage("boom");
        assertThat(o.suppressed()).singleElement().asString()
                .contains("seed 1111")
                .contains("-Dtest='Fixtures#fieldNetwork' -Drtmfp.sim.seed=1111");
        assertThat(o.stderr()).contains("-Drtmfp.sim.seed=1111");
    }

    @Test
    void theSeedOfANetworkBuiltInTheTestIsReportedToo() {
        Outcome o = run(Fixtures.class, "localNetwork");

        assertThat(o.failure()).as("rethrown unchanged").isInstanceOf(IllegalStateException.class);
        assertThat(o.suppressed()).singleElement().asString().contains("seeds 1111, 2222");
    }

    @Test
    void anAbortedTestIsLeftAlone() {
        Outcome o = run(Fixtures.class, "assumptionIsNotAFailure");

        assertThat(o.status()).isEqualTo(TestExecutionResult.Status.ABORTED);
        assertThat(o.suppressed()).isEmpty();
        assertThat(o.stderr()).isEmpty();
    }

    @Test
    void aTestWithoutNetworksReportsNothing() {
        SimNetwork.forgetRecentSeeds(); // networks of tests run before this one on the thread
        Outcome o = run(WithoutNetworks.class, "plainFailure");

        assertThat(o.status()).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(o.suppressed()).isEmpty();
    }
}
