package io.rtmfp4j.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The relay's rules on their own: binding, forwarding only between bound ends, limits, expiry. */
class RelayTest {
    static final long SECOND = 1_000_000;
    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);
    static final String C = "c".repeat(64);
    static final InetSocketAddress ADDR_A = new InetSocketAddress("192.0.2.1", 1000);
    static final InetSocketAddress ADDR_B = new InetSocketAddress("192.0.2.2", 2000);

    record Sent(int port, InetSocketAddress to, int length) {
    }

    /** Ports numbered from 5000, everything sent recorded. */
    static final class Ports implements RelayNetwork {
        final List<Sent> sent = new ArrayList<>();
        final Set<Integer> open = new HashSet<>();
        int next = 5000;
        boolean full;

        @Override
        public CompletableFuture<Integer> open(InetSocketAddress client) {
            if (full) {
                return CompletableFuture.failedFuture(new IllegalStateException("no port"));
            }
            open.add(next);
            return CompletableFuture.completedFuture(next++);
        }

        @Override
        public boolean send(int port, InetSocketAddress to, byte[] data, int off, int len) {
            sent.add(new Sent(port, to, len));
            return true;
        }

        @Override
        public void close(int port) {
            open.remove(port);
        }
    }

    final Ports ports = new Ports();
    final List<RelayAllocation> ready = new ArrayList<>();
    final List<RelayStats.End> ended = new ArrayList<>();

    Relay relay(RelaySettings settings) {
        return new Relay(settings, ports, new SecureRandom(), new Relay.Events() {
            @Override
            public void ready(RelayAllocation a) {
                ready.add(a);
            }

            @Override
            public void ended(RelayAllocation a, RelayStats.End why) {
                ended.add(why);
            }
        });
    }

    static RelayAllocation made(CompletableFuture<RelayAllocation> f) {
        return f.join();
    }

    static void bind(Relay r, RelayAllocation.End end, InetSocketAddress from, long now) {
        r.receive(end.port(), from, end.token(), 0, Relay.TOKEN_LENGTH, now);
    }

    static void send(Relay r, RelayAllocation.End end, InetSocketAddress from, int length, long now) {
        r.receive(end.port(), from, new byte[length], 0, length, now);
    }

    @Test
    void forwardsBetweenTheBoundEndsOnlyOnceBothAreBound() {
        Relay r = relay(RelaySettings.DEFAULTS);
        RelayAllocation a = made(r.allocate(A, ADDR_A, B, ADDR_B, 0));

        bind(r, a.requester(), ADDR_A, 0);
        send(r, a.requester(), ADDR_A, 100, 0);
        assertThat(ports.sent).isEmpty();
        assertThat(r.stats().drops(RelayStats.Drop.PEER_UNBOUND)).isEqualTo(1);
        assertThat(ready).isEmpty();

        bind(r, a.target(), ADDR_B, 0);
        assertThat(ready).containsExactly(a);
        send(r, a.requester(), ADDR_A, 100, 0);
        send(r, a.target(), ADDR_B, 200, 0);

        assertThat(ports.sent).containsExactly(new Sent(a.target().port(), ADDR_B, 100),
                new Sent(a.requester().port(), ADDR_A, 200));
        assertThat(r.stats().bytesRelayed()).isEqualTo(300);
    }

    @Test
    void aWrongTokenBindsNothingAndStrangersAreDropped() {
        Relay r = relay(RelaySettings.DEFAULTS);
        RelayAllocation a = made(r.allocate(A, ADDR_A, B, ADDR_B, 0));
        InetSocketAddress mallory = new InetSocketAddress("198.51.100.66", 666);
        bind(r, a.requester(), ADDR_A, 0);
        bind(r, a.target(), ADDR_B, 0);

        // B's token on A's port: not A's token.
        r.receive(a.requester().port(), mallory, a.target().token(), 0, Relay.TOKEN_LENGTH, 0);
        send(r, a.requester(), mallory, 500, 0);

        assertThat(ports.sent).isEmpty();
        assertThat(a.requester().bound()).isEqualTo(ADDR_A);
        assertThat(r.stats().drops(RelayStats.Drop.BAD_TOKEN)).isEqualTo(1);
        assertThat(r.stats().drops(RelayStats.Drop.STRANGER)).isEqualTo(1);
    }

    @Test
    void aRebindMovesTheEndToTheNewAddress() {
        Relay r = relay(RelaySettings.DEFAULTS);
        RelayAllocation a = made(r.allocate(A, ADDR_A, B, ADDR_B, 0));
        bind(r, a.requester(), ADDR_A, 0);
        bind(r, a.target(), ADDR_B, 0);
        InetSocketAddress moved = new InetSocketAddress("192.0.2.1", 1001);

        bind(r, a.requester(), moved, 0);
        send(r, a.target(), ADDR_B, 100, 0);

        assertThat(ports.sent).containsExactly(new Sent(a.requester().port(), moved, 100));
        assertThat(ready).hasSize(1);
    }

    @Test
    void limitsRelaysPerClientAndInAll() {
        Relay r = relay(RelaySettings.DEFAULTS.withLimits(2, 1, 1000));
        made(r.allocate(A, ADDR_A, B, ADDR_B, 0));

        assertThatThrownBy(() -> r.allocate(A, ADDR_A, C, ADDR_B, 0).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(RelayRefusedException.class);
        assertThat(r.stats().refusals(RelayStats.Refusal.CLIENT_LIMIT)).isEqualTo(1);
        assertThat(r.allocate(A, ADDR_A, A, ADDR_A, 0)).isCompletedExceptionally();
        assertThat(r.stats().refusals(RelayStats.Refusal.SELF)).isEqualTo(1);

        Relay all = relay(RelaySettings.DEFAULTS.withLimits(1, 5, 1000));
        made(all.allocate(A, ADDR_A, B, ADDR_B, 0));
        assertThat(all.allocate(C, ADDR_A, "d".repeat(64), ADDR_B, 0)).isCompletedExceptionally();
        assertThat(all.stats().refusals(RelayStats.Refusal.SERVER_LIMIT)).isEqualTo(1);
    }

    @Test
    void aClientsBytesPerSecondAreCapped() {
        Relay r = relay(RelaySettings.DEFAULTS.withLimits(10, 5, 1000));
        RelayAllocation a = made(r.allocate(A, ADDR_A, B, ADDR_B, 0));
        bind(r, a.requester(), ADDR_A, 0);
        bind(r, a.target(), ADDR_B, 0);

        for (int i = 0; i < 5; i++) {
            send(r, a.requester(), ADDR_A, 300, 0);
        }
        assertThat(ports.sent).hasSize(3);
        assertThat(r.stats().drops(RelayStats.Drop.RATE_LIMITED)).isEqualTo(2);
        // The other peer has a budget of its own; half a second refills half of A's.
        send(r, a.target(), ADDR_B, 300, 0);
        send(r, a.requester(), ADDR_A, 300, SECOND / 2);
        assertThat(ports.sent).hasSize(5);
    }

    @Test
    void relaysEndWhenUnboundIdleOrOld() {
        RelaySettings s = RelaySettings.DEFAULTS.withTimes(Duration.ofSeconds(100), Duration.ofSeconds(10));
        Relay r = relay(s);
        RelayAllocation unbound = made(r.allocate(A, ADDR_A, B, ADDR_B, 0));
        RelayAllocation idle = made(r.allocate(A, ADDR_A, C, ADDR_B, 0));
        bind(r, idle.requester(), ADDR_A, 0);
        bind(r, idle.target(), ADDR_B, 0);

        r.onTick(9 * SECOND);
        assertThat(ended).isEmpty();
        r.onTick(10 * SECOND);
        assertThat(ended).containsExactly(RelayStats.End.IDLE);
        r.onTick(30 * SECOND);
        assertThat(ended).containsExactly(RelayStats.End.IDLE, RelayStats.End.NOT_BOUND);
        assertThat(ports.open).isEmpty();
        assertThat(r.find(A, B)).isEmpty();
        assertThat(unbound.isReady()).isFalse();

        RelayAllocation old = made(r.allocate(A, ADDR_A, B, ADDR_B, 40 * SECOND));
        bind(r, old.requester(), ADDR_A, 40 * SECOND);
        bind(r, old.target(), ADDR_B, 40 * SECOND);
        for (long t = 41; t < 140; t += 5) {
            send(r, old.requester(), ADDR_A, 100, t * SECOND);
            r.onTick(t * SECOND);
        }
        r.onTick(140 * SECOND);
        assertThat(ended).endsWith(RelayStats.End.LIFETIME);
    }

    @Test
    void aLeavingClientEndsItsRelaysAndOnesStillOpening() {
        Relay r = relay(RelaySettings.DEFAULTS);
        made(r.allocate(A, ADDR_A, B, ADDR_B, 0));
        made(r.allocate(C, ADDR_A, B, ADDR_B, 0));

        r.release(B);

        assertThat(ended).containsExactly(RelayStats.End.CLIENT_LEFT, RelayStats.End.CLIENT_LEFT);
        assertThat(r.stats().active()).isZero();
        assertThat(ports.open).isEmpty();
        ports.full = true;
        assertThat(r.allocate(A, ADDR_A, C, ADDR_B, 0)).isCompletedExceptionally();
        assertThat(r.stats().refusals(RelayStats.Refusal.NO_PORT)).isEqualTo(1);
    }

    @Test
    void aRelayInUseCarriesTheLeavingClientsLastDatagramsForTwoTicks() {
        Relay r = relay(RelaySettings.DEFAULTS);
        RelayAllocation a = made(r.allocate(A, ADDR_A, B, ADDR_B, 0));
        bind(r, a.requester(), ADDR_A, 0);
        bind(r, a.target(), ADDR_B, 0);

        r.release(A);
        send(r, a.requester(), ADDR_A, 60, SECOND);
        r.onTick(SECOND);

        assertThat(ports.sent).containsExactly(new Sent(a.target().port(), ADDR_B, 60));
        assertThat(ended).isEmpty();
        r.onTick(2 * SECOND);
        assertThat(ended).containsExactly(RelayStats.End.CLIENT_LEFT);
        assertThat(ports.open).isEmpty();
        assertThat(r.stats().active()).isZero();
    }
}
