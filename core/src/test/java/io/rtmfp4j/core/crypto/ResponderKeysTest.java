package io.rtmfp4j.core.crypto;

import static io.rtmfp4j.core.crypto.Identities.RANDOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.WireFormatException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ResponderKeysTest {
    private static final long SECOND = 1_000_000;
    private static final byte[] FAR_KEY = DhKeyPair.generate(DhGroup.GROUP_2, RANDOM).publicKey();

    private static byte[] skic(int n) {
        return ByteBuffer.allocate(8).putInt(0x41_0e_00_00).putInt(n).array();
    }

    @Test
    void withoutReuseEverySessionGetsAFreshKeyPair() {
        ResponderKeys keys = ResponderKeys.fresh();
        DhKeyPair a = keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(1), 0, RANDOM);
        // The same skic again is not refused: a fresh key pair makes fresh session keys.
        DhKeyPair b = keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(1), 0, RANDOM);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.publicKey()).hasSize(DhGroup.GROUP_2.primeBytes());
    }

    @Test
    void aKeyPairKeysAtMostMaxUsesSessions() {
        ResponderKeys keys = new ResponderKeys(new DhKeyReuse(3, Duration.ofHours(1)));
        List<DhKeyPair> got = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            got.add(keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(i), i, RANDOM));
        }
        assertThat(got.subList(0, 3)).containsOnly(got.get(0));
        assertThat(got.subList(3, 6)).containsOnly(got.get(3));
        assertThat(got.get(6)).isNotIn(got.get(0), got.get(3));
        assertThat(got.get(0)).isNotEqualTo(got.get(3));
    }

    @Test
    void aKeyPairKeysNoSessionOnceItIsMaxAgeOld() {
        ResponderKeys keys = new ResponderKeys(new DhKeyReuse(1000, Duration.ofSeconds(10)));
        long born = 5 * SECOND;
        DhKeyPair first = keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(0), born, RANDOM);
        assertThat(keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(1), born + 10 * SECOND - 1, RANDOM)).isEqualTo(first);
        DhKeyPair second = keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(2), born + 10 * SECOND, RANDOM);
        assertThat(second).isNotEqualTo(first);
        // The age counts from the new key pair's birth.
        assertThat(keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(3), born + 19 * SECOND, RANDOM)).isEqualTo(second);
    }

    @Test
    void eachGroupHasItsOwnKeyPair() {
        ResponderKeys keys = new ResponderKeys(new DhKeyReuse(10, Duration.ofHours(1)));
        DhKeyPair g2 = keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(0), 0, RANDOM);
        byte[] far5 = DhKeyPair.generate(DhGroup.GROUP_5, RANDOM).publicKey();
        DhKeyPair g5 = keys.keyFor(DhGroup.GROUP_5, far5, skic(0), 0, RANDOM);
        assertThat(g2.group()).isEqualTo(DhGroup.GROUP_2);
        assertThat(g5.group()).isEqualTo(DhGroup.GROUP_5);
        assertThat(keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(1), 0, RANDOM)).isEqualTo(g2);
        assertThat(keys.keyFor(DhGroup.GROUP_5, far5, skic(1), 0, RANDOM)).isEqualTo(g5);
    }

    @Test
    void aReusedKeyPairRefusesToKeyTheSameFarKeyAndSkicTwice() {
        ResponderKeys keys = new ResponderKeys(new DhKeyReuse(3, Duration.ofHours(1)));
        DhKeyPair first = keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(1), 0, RANDOM);
        assertThatThrownBy(() -> keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(1), 1, RANDOM))
                .isInstanceOf(WireFormatException.class);
        // The refusal used none of the key pair's sessions.
        byte[] otherFar = DhKeyPair.generate(DhGroup.GROUP_2, RANDOM).publicKey();
        assertThat(keys.keyFor(DhGroup.GROUP_2, otherFar, skic(1), 2, RANDOM)).isEqualTo(first);
        assertThat(keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(2), 3, RANDOM)).isEqualTo(first);
        // Once the key pair is retired, the same far key and skic make different session keys again.
        DhKeyPair next = keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(1), 4, RANDOM);
        assertThat(next).isNotEqualTo(first);
    }

    @Test
    void concurrentKeyingNeverExceedsTheBound() throws Exception {
        int maxUses = 7;
        int threads = 4;
        int perThread = 50;
        ResponderKeys keys = new ResponderKeys(new DhKeyReuse(maxUses, Duration.ofHours(1)));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<DhKeyPair>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                results.add(pool.submit(() -> {
                    start.await();
                    List<DhKeyPair> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(keys.keyFor(DhGroup.GROUP_2, FAR_KEY, skic(base + i), 0, RANDOM));
                    }
                    return mine;
                }));
            }
            start.countDown();
            Map<DhKeyPair, Integer> uses = new IdentityHashMap<>();
            for (Future<List<DhKeyPair>> f : results) {
                for (DhKeyPair k : f.get(60, TimeUnit.SECONDS)) {
                    uses.merge(k, 1, Integer::sum);
                }
            }
            assertThat(uses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
            assertThat(Collections.max(uses.values())).isLessThanOrEqualTo(maxUses);
            // Only the last key pair may be partly used.
            int full = (threads * perThread) / maxUses;
            assertThat(uses).hasSize(full + ((threads * perThread) % maxUses == 0 ? 0 : 1));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reusePolicyIsValidated() {
        assertThat(DhKeyReuse.none().reuses()).isFalse();
        assertThat(new DhKeyReuse(2, Duration.ofSeconds(1)).reuses()).isTrue();
        assertThatThrownBy(() -> new DhKeyReuse(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DhKeyReuse(DhKeyReuse.MAX_USES + 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DhKeyReuse(2, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DhKeyReuse(1, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
