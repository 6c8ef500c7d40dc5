package io.rtmfp4j.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class HandshakeLimiterTest {
    private static final long SECOND = 1_000_000;

    private static InetAddress address(int i) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
    }

    @Test
    void anAddressGetsItsBurstThenTheRate() throws Exception {
        HandshakeLimiter limiter = new HandshakeLimiter(10, 3);
        InetAddress a = address(1);

        assertThat(limiter.tryAcquire(a, 0)).isTrue();
        assertThat(limiter.tryAcquire(a, 0)).isTrue();
        assertThat(limiter.tryAcquire(a, 0)).isTrue();
        assertThat(limiter.tryAcquire(a, 0)).isFalse();
        assertThat(limiter.tryAcquire(address(2), 0)).as("another address has its own bucket").isTrue();
        assertThat(limiter.tryAcquire(a, SECOND / 10)).as("one token a tenth of a second later").isTrue();
        assertThat(limiter.tryAcquire(a, SECOND / 10)).isFalse();
    }

    @Test
    void bucketsThatHadTimeToFillUpAgainAreForgotten() throws Exception {
        // Burst 4 at 2 per second: an empty bucket is full again after 2 s.
        HandshakeLimiter limiter = new HandshakeLimiter(2, 4);
        for (int i = 0; i < 1000; i++) {
            limiter.tryAcquire(address(i), i);
        }
        assertThat(limiter.trackedAddresses()).isEqualTo(1000);

        // Later packets from a few addresses sweep the full ones out, two at a time.
        for (int i = 0; i < 500; i++) {
            limiter.tryAcquire(address(5000 + i % 3), 3 * SECOND + i);
        }

        assertThat(limiter.trackedAddresses()).isEqualTo(3);
    }

    @Test
    void aBucketStillRefillingIsKeptSoItsLimitHolds() throws Exception {
        HandshakeLimiter limiter = new HandshakeLimiter(1, 2);
        InetAddress flooder = address(1);
        assertThat(limiter.tryAcquire(flooder, 0)).isTrue();
        assertThat(limiter.tryAcquire(flooder, 0)).isTrue();
        for (int i = 0; i < 100; i++) {
            limiter.tryAcquire(address(100 + i), SECOND / 2);
        }

        assertThat(limiter.tryAcquire(flooder, SECOND / 2)).as("half a token is not one").isFalse();
    }
}
