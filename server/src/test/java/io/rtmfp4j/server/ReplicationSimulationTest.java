package io.rtmfp4j.server;

import static io.rtmfp4j.server.SimRendezvous.SECOND;
import static io.rtmfp4j.server.SimRendezvous.URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.group.GroupSpecifier;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.group.ReplicationStrategy;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.server.auth.Authenticator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Object replication (netgroup spec §11) among a few members of a group, in simulation. */
@ExtendWith(SimSeedExtension.class)
class ReplicationSimulationTest {
    static final String SPEC = new GroupSpecifier("objects").setObjectReplicationEnabled(true)
            .setServerChannelEnabled(true).groupspecWithAuthorizations();

    final SimNetwork net = new SimNetwork(SimNetwork.seedFromEnvironment(System.nanoTime()));
    final SimRendezvous world = new SimRendezvous(net, Authenticator.open());

    /**
     * A member that answers requests as {@code answer} says: with {@code "object <index>"}, a denial
     * (null), or never (the predicate {@code silent}).
     */
    final class Member {
        final NetConnection nc;
        final NetGroup group;
        final List<NetStatus> events = new ArrayList<>();
        Predicate<Long> denies = i -> false;
        Predicate<Long> silent = i -> false;
        /** Requests kept silent, by request ID, with their indices. */
        final Map<Integer, Long> unanswered = new HashMap<>();

        Member() {
            nc = world.connection(null);
            CompletableFuture<NetConnection> f = nc.connect(URL);
            run(f::isDone);
            group = new NetGroup(nc, SPEC);
            group.addStatusListener(this::onStatus);
        }

        void onStatus(NetStatus s) {
            events.add(s);
            if (s.code().equals(Status.GROUP_REPLICATION_REQUEST)) {
                long index = index(s);
                int id = (Integer) s.info().get("requestID");
                if (denies.test(index)) {
                    group.denyRequestedObject(id);
                } else if (!silent.test(index)) {
                    group.writeRequestedObject(id, "object " + index);
                } else {
                    unanswered.put(id, index);
                }
            }
        }

        List<NetStatus> events(String code) {
            return events.stream().filter(e -> e.code().equals(code)).toList();
        }

        List<Long> indices(String code) {
            return events(code).stream().map(ReplicationSimulationTest::index).toList();
        }
    }

    static long index(NetStatus s) {
        return ((Number) s.info().get("index")).longValue();
    }

    void run(BooleanSupplier until) {
        assertThat(net.runUntil(until, 120 * SECOND)).as("seed " + net.seed()).isTrue();
    }

    List<Member> meshOf(int n) {
        List<Member> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(new Member());
        }
        run(() -> all.stream().allMatch(m -> m.group.neighborCount() == n - 1));
        return all;
    }

    /**
     * Checks the rule of one request per index at a time ({@code most} 1): between two
     * {@code SendNotify} for an index there is a {@code Result} or a {@code Failed} for it; or
     * with the end game's exception ({@code most} 2), a second request while the first is
     * pending, both ended by one {@code Result}.
     */
    static void requestsPerIndexAtATime(Member m, int most) {
        Map<Long, Integer> pending = new HashMap<>();
        for (NetStatus s : m.events) {
            switch (s.code()) {
                case Status.GROUP_REPLICATION_FETCH_SEND_NOTIFY -> assertThat(pending.merge(index(s), 1, Integer::sum))
                        .as("requests at once for " + index(s)).isLessThanOrEqualTo(most);
                case Status.GROUP_REPLICATION_FETCH_RESULT ->
                        assertThat(pending.remove(index(s))).as("a result for no request, " + index(s)).isNotNull();
                case Status.GROUP_REPLICATION_FETCH_FAILED -> {
                    assertThat(pending.get(index(s))).as("a failure of no request, " + index(s)).isNotNull();
                    pending.compute(index(s), (k, n) -> n == 1 ? null : n - 1);
                }
                default -> {
                }
            }
        }
    }

    static void resultsCameFrom(Member fetcher, Member sender) {
        assertThat(fetcher.events(Status.GROUP_REPLICATION_FETCH_RESULT))
                .allSatisfy(s -> assertThat(s.info()).containsEntry("peerID", sender.nc.nearId()));
    }

    @Test
    void wantedObjectsComeFromTheMemberThatHasThemAndLeaveTheWantSet() {
        List<Member> all = meshOf(2);
        Member owner = all.get(0);
        Member fetcher = all.get(1);
        owner.group.addHaveObjects(0, 19);
        fetcher.group.addWantObjects(0, 19);
        run(() -> fetcher.events(Status.GROUP_REPLICATION_FETCH_RESULT).size() == 20);

        Map<Long, Object> got = new HashMap<>();
        for (NetStatus s : fetcher.events(Status.GROUP_REPLICATION_FETCH_RESULT)) {
            got.put(index(s), s.info().get("object"));
            assertThat(s.info()).containsEntry("peerID", owner.nc.nearId());
        }
        for (long i = 0; i < 20; i++) {
            assertThat(got).containsEntry(i, "object " + i);
        }
        // Each request was announced first; the owner was asked once per index.
        assertThat(fetcher.indices(Status.GROUP_REPLICATION_FETCH_SEND_NOTIFY)).hasSize(20).doesNotHaveDuplicates();
        assertThat(owner.indices(Status.GROUP_REPLICATION_REQUEST)).hasSize(20).doesNotHaveDuplicates();
        requestsPerIndexAtATime(fetcher, 1);
        // The lowest first, by default.
        assertThat(fetcher.indices(Status.GROUP_REPLICATION_FETCH_SEND_NOTIFY)).isSorted();
        assertThat(fetcher.group.info().objectReplicationReceiveBytes()).isGreaterThan(20 * "object 19".length());
        assertThat(owner.group.info().objectReplicationSendBytes()).isGreaterThan(20 * "object 19".length());

        // Fetched objects left the Want set: nothing is asked again, even once another member has them.
        Member third = new Member();
        run(() -> third.group.neighborCount() == 2);
        third.group.addHaveObjects(0, 19);
        net.runFor(5 * SECOND);
        assertThat(fetcher.events(Status.GROUP_REPLICATION_FETCH_SEND_NOTIFY)).hasSize(20);
        assertThat(third.events(Status.GROUP_REPLICATION_REQUEST)).isEmpty();
    }

    @Test
    void aDeniedOrUnansweredRequestFailsAndIsAskedOfAnotherHolder() {
        List<Member> all = meshOf(3);
        Member denier = all.get(0);
        Member mute = all.get(1);
        Member fetcher = all.get(2);
        denier.denies = i -> true;
        mute.silent = i -> true;
        denier.group.addHaveObjects(0, 3);
        mute.group.addHaveObjects(0, 3);
        net.runFor(SECOND);
        fetcher.group.addWantObjects(0, 3);
        // The denier's answers come at once; the mute holder's requests time out after 30 s.
        run(() -> fetcher.events(Status.GROUP_REPLICATION_FETCH_FAILED).size() >= 4);
        assertThat(fetcher.events(Status.GROUP_REPLICATION_FETCH_RESULT)).isEmpty();

        // A holder that answers arrives: every index comes from it, none is asked twice at once.
        Member good = new Member();
        run(() -> good.group.neighborCount() == 3);
        good.group.addHaveObjects(0, 3);
        run(() -> fetcher.events(Status.GROUP_REPLICATION_FETCH_RESULT).size() == 4);
        resultsCameFrom(fetcher, good);
        // The mute holder was asked until its first request timed out, and nothing after.
        assertThat(mute.events(Status.GROUP_REPLICATION_REQUEST)).hasSizeBetween(1, 3);
        assertThat(denier.events(Status.GROUP_REPLICATION_REQUEST)).isNotEmpty();
        requestsPerIndexAtATime(fetcher, 2);
    }

    @Test
    void aHolderThatLeavesHasItsRequestsFailAndAskedElsewhere() {
        List<Member> all = meshOf(3);
        Member leaving = all.get(0);
        Member staying = all.get(1);
        Member fetcher = all.get(2);
        leaving.silent = i -> true;
        leaving.group.addHaveObjects(0, 5);
        net.runFor(SECOND);
        fetcher.group.addWantObjects(0, 5);
        run(() -> leaving.events(Status.GROUP_REPLICATION_REQUEST).size() == 3);
        leaving.group.close();
        run(() -> fetcher.events(Status.GROUP_REPLICATION_FETCH_FAILED).size() == 3);
        // (Had the other member had them before, the end game would have asked it as well.)
        staying.group.addHaveObjects(0, 5);
        run(() -> fetcher.events(Status.GROUP_REPLICATION_FETCH_RESULT).size() == 6);
        resultsCameFrom(fetcher, staying);
        requestsPerIndexAtATime(fetcher, 2);
    }

    @Test
    void inTheEndGameAnIdleHolderIsAskedForWhatIsAskedElsewhereAndTheFirstAnswerWins() {
        List<Member> all = meshOf(3);
        Member stuck = all.get(0);
        Member late = all.get(1);
        Member fetcher = all.get(2);
        stuck.silent = i -> true;
        stuck.group.addHaveObjects(0, 1);
        net.runFor(SECOND);
        fetcher.group.addWantObjects(0, 1);
        run(() -> stuck.events(Status.GROUP_REPLICATION_REQUEST).size() == 2);

        // Both indices are asked of the one holder, which does not answer: another that has them
        // is asked too, one index at a time, and its answers end both requests.
        late.group.addHaveObjects(0, 1);
        run(() -> fetcher.events(Status.GROUP_REPLICATION_FETCH_RESULT).size() == 2);
        resultsCameFrom(fetcher, late);
        assertThat(late.indices(Status.GROUP_REPLICATION_REQUEST)).containsExactlyInAnyOrder(0L, 1L);
        assertThat(fetcher.indices(Status.GROUP_REPLICATION_FETCH_SEND_NOTIFY)).hasSize(4);
        requestsPerIndexAtATime(fetcher, 2);
        // The requests to the silent holder were given up with the first answer: they do not time out.
        net.runFor(40 * SECOND);
        assertThat(fetcher.events(Status.GROUP_REPLICATION_FETCH_FAILED)).isEmpty();
        assertThat(fetcher.events(Status.GROUP_REPLICATION_FETCH_SEND_NOTIFY)).hasSize(4);
    }

    @Test
    void aHolderIsAskedForSixteenObjectsAtOnceAndTheOthersWaitTheirTurn() {
        List<Member> all = meshOf(7);
        Member holder = all.get(0);
        List<Member> fetchers = all.subList(1, 7);
        holder.silent = i -> true;
        holder.group.addHaveObjects(0, 99);
        net.runFor(SECOND);
        for (Member m : fetchers) {
            m.group.addWantObjects(0, 99);
        }
        // Each fetcher asks the only holder for 3: 18 requests, of which the application sees 16.
        run(() -> fetchers.stream().allMatch(m -> m.events(Status.GROUP_REPLICATION_FETCH_SEND_NOTIFY).size() == 3));
        net.runFor(SECOND);
        assertThat(holder.events(Status.GROUP_REPLICATION_REQUEST)).hasSize(16);

        // Once it answers, the other two come, and every fetcher gets all it wanted.
        holder.silent = i -> false;
        holder.unanswered.forEach((id, index) -> holder.group.writeRequestedObject(id, "object " + index));
        run(() -> fetchers.stream().allMatch(m -> m.events(Status.GROUP_REPLICATION_FETCH_RESULT).size() == 100));
        assertThat(holder.events(Status.GROUP_REPLICATION_REQUEST)).hasSize(600);
        fetchers.forEach(m -> requestsPerIndexAtATime(m, 1));
    }

    @Test
    void rarestFirstAsksForWhatFewNeighborsHaveBeforeWhatManyHave() {
        List<Member> all = meshOf(4);
        Member fetcher = all.get(3);
        // Indices 0..29 are on three members, 30..59 on one.
        all.get(0).group.addHaveObjects(0, 59);
        all.get(1).group.addHaveObjects(0, 29);
        all.get(2).group.addHaveObjects(0, 29);
        for (Member m : all) {
            m.silent = i -> true;
        }
        net.runFor(SECOND);
        fetcher.group.setReplicationStrategy(ReplicationStrategy.RAREST_FIRST);
        assertThat(fetcher.group.replicationStrategy().flashName()).isEqualTo("rarestFirst");
        fetcher.group.addWantObjects(0, 59);
        // One request per holder while three are in flight: the one member with the rare objects
        // is asked for a rare one, not for the lowest it has.
        run(() -> fetcher.events(Status.GROUP_REPLICATION_FETCH_SEND_NOTIFY).size() == 3);
        net.runFor(SECOND);
        assertThat(all.get(0).indices(Status.GROUP_REPLICATION_REQUEST)).singleElement()
                .satisfies(i -> assertThat(i).isBetween(30L, 59L));
        assertThat(fetcher.indices(Status.GROUP_REPLICATION_FETCH_SEND_NOTIFY)).filteredOn(i -> i < 30).hasSize(2);

        // With lowestFirst, another member asks each holder for the lowest index it has that is not asked for.
        Member lowest = new Member();
        lowest.silent = i -> true;
        run(() -> lowest.group.neighborCount() == 4);
        lowest.group.addWantObjects(0, 59);
        run(() -> lowest.events(Status.GROUP_REPLICATION_FETCH_SEND_NOTIFY).size() == 3);
        Set<Long> lows = new HashSet<>(lowest.indices(Status.GROUP_REPLICATION_FETCH_SEND_NOTIFY));
        assertThat(lows).containsExactlyInAnyOrder(0L, 1L, 2L);
    }

    @Test
    void theOnlyHolderGetsSeveralRequestsAtOnceAndManyHoldersOneEach() {
        List<Member> all = meshOf(5);
        Member fetcher = all.get(4);
        for (Member m : all) {
            m.silent = i -> true;
        }
        all.get(0).group.addHaveObjects(0, 99);
        net.runFor(SECOND);
        fetcher.group.addWantObjects(0, 99);
        // Alone, a holder is asked for 3 at once, enough to keep its upload busy between answers.
        run(() -> all.get(0).events(Status.GROUP_REPLICATION_REQUEST).size() == 3);
        net.runFor(SECOND);
        assertThat(all.get(0).events(Status.GROUP_REPLICATION_REQUEST)).hasSize(3);

        Member other = all.get(1);
        other.group.addHaveObjects(100, 199);
        Member third = all.get(2);
        third.group.addHaveObjects(200, 299);
        Member fourth = all.get(3);
        fourth.group.addHaveObjects(300, 399);
        fetcher.group.addWantObjects(100, 399);
        // Besides the three in flight, each new holder gets one request, not three.
        run(() -> fourth.events(Status.GROUP_REPLICATION_REQUEST).size() == 1);
        net.runFor(SECOND);
        assertThat(other.events(Status.GROUP_REPLICATION_REQUEST)).hasSize(1);
        assertThat(third.events(Status.GROUP_REPLICATION_REQUEST)).hasSize(1);
        assertThat(fourth.events(Status.GROUP_REPLICATION_REQUEST)).hasSize(1);
    }

    @Test
    void indicesUpTo2To53TravelAsRangesAndAnAvoidedMemberIsAskedNothing() {
        List<Member> all = meshOf(3);
        Member avoided = all.get(0);
        Member honest = all.get(1);
        Member fetcher = all.get(2);
        long top = 1L << 53;
        avoided.group.addHaveObjects(top - 9, top);
        honest.group.addHaveObjects(top - 9, top);
        net.runFor(SECOND);
        fetcher.group.avoidReplicationPeer(avoided.nc.nearId());
        fetcher.group.addWantObjects(top - 9, top);
        run(() -> fetcher.events(Status.GROUP_REPLICATION_FETCH_RESULT).size() == 10);
        assertThat(fetcher.indices(Status.GROUP_REPLICATION_FETCH_RESULT)).containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(top - 9, top).boxed().toList());
        resultsCameFrom(fetcher, honest);
        assertThat(avoided.events(Status.GROUP_REPLICATION_REQUEST)).isEmpty();
        assertThatThrownBy(() -> fetcher.group.addWantObjects(0, top + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
