package io.rtmfp4j.core.sim;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Reports the seed of every {@link SimNetwork} a failing test used, so the failure can be
 * replayed with {@code -D}{@value SimNetwork#SEED_PROPERTY} (see {@link SimNetwork}).
 *
 * <p>It finds the networks two ways: {@code SimNetwork} fields of the test instances (including
 * enclosing instances of {@code @Nested} tests, and static fields), and every network built on
 * the test's thread since the previous test ended, so a network that is a local variable of the
 * test method is reported too. The report goes to standard error and is attached to the failure
 * as a suppressed exception; the failure itself is rethrown unchanged, so its type, message and
 * expected/actual values reach the IDE as they were.
 *
 * <pre>{@code
 * @ExtendWith(SimSeedExtension.class)
 * class LossyTransferTest { ... }
 * }</pre>
 */
public final class SimSeedExtension implements BeforeAllCallback, AfterEachCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

    /** Carries the seeds in the failure's stack trace; it has no trace of its own. */
    public static final class SimulationSeeds extends RuntimeException {
        SimulationSeeds(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        SimNetwork.forgetRecentSeeds();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        // The next test's instance is built after this, so its field networks count as its own.
        SimNetwork.forgetRecentSeeds();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure)
            throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure)
            throws Throwable {
        throw report(context, failure);
    }

    private static Throwable report(ExtensionContext context, Throwable failure) {
        if (failure instanceof TestAbortedException) {
            return failure; // an assumption, not a failure: nothing to replay
        }
        Set<Long> seeds = seeds(context);
        if (seeds.isEmpty()) {
            return failure;
        }
        String message = describe(context, seeds);
        System.err.println(message);
        failure.addSuppressed(new SimulationSeeds(message));
        return failure;
    }

    static String describe(ExtensionContext context, Set<Long> seeds) {
        String test = context.getRequiredTestClass().getSimpleName()
                + context.getTestMethod().map(m -> "#" + m.getName()).orElse("");
        String list = seeds.stream().map(String::valueOf).collect(Collectors.joining(", "));
        String replay = "-Dtest='" + test + "' -D" + SimNetwork.SEED_PROPERTY + "="
                + (seeds.size() == 1 ? list : "<seed>");
        return context.getDisplayName() + " failed in a simulation with seed" + (seeds.size() == 1 ? " " : "s ")
                + list + "; replay with " + replay;
    }

    private static Set<Long> seeds(ExtensionContext context) {
        Set<Long> seeds = new LinkedHashSet<>();
        context.getTestInstances().ifPresent(instances -> {
            for (Object instance : instances.getAllInstances()) {
                for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                    addFieldSeeds(c, instance, seeds);
                }
            }
        });
        context.getTestClass().ifPresent(c -> addFieldSeeds(c, null, seeds));
        seeds.addAll(SimNetwork.recentSeeds());
        return seeds;
    }

    private static void addFieldSeeds(Class<?> type, Object instance, Set<Long> seeds) {
        for (Field f : type.getDeclaredFields()) {
            boolean isStatic = Modifier.isStatic(f.getModifiers());
            if (SimNetwork.class.isAssignableFrom(f.getType()) && (instance != null || isStatic)
                    && f.trySetAccessible()) {
                try {
                    Object value = f.get(isStatic ? null : instance);
                    if (value != null) {
                        seeds.add(((SimNetwork) value).seed());
                    }
                } catch (IllegalAccessException e) {
                    // trySetAccessible said yes; a network we cannot read is one we cannot report
                }
            }
        }
    }
}
