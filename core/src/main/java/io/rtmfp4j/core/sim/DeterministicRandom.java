package io.rtmfp4j.core.sim;

import java.security.SecureRandom;
import java.util.Random;

/**
 * A SecureRandom that is not secure at all: seeded, so simulations replay. Test use only.
 * Every SecureRandom method draws from {@link #nextBytes}, so overriding it is enough.
 */
final class DeterministicRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final Random delegate;

    DeterministicRandom(long seed) {
        super(new byte[0]);
        this.delegate = new Random(seed);
    }

    @Override
    public void nextBytes(byte[] bytes) {
        delegate.nextBytes(bytes);
    }

    @Override
    public void setSeed(long seed) {
        // SecureRandom's constructor calls this before our delegate exists; seeding is fixed at construction.
    }
}
