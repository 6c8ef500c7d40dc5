package io.rtmfp4j.server;

import static io.rtmfp4j.server.SimRendezvous.SECOND;
import static io.rtmfp4j.server.SimRendezvous.URL;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.LinkConditions;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.group.GroupSpecifier;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.group.NetGroupSendResult;
import io.rtmfp4j.flash.group.ReceiveMode;
import io.rtmfp4j.flash.group.wire.GroupConnect;
import io.rtmfp4j.flash.group.wire.GroupFlow;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.server.auth.Authenticator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** NetGroups of a few members through the rendezvous server, in simulation. */
@ExtendWith(SimSeedExtension.class)
class GroupSimulationTest {
    static final String SPEC = new GroupSpecifier("sim").setPostingEnabled(true).setRoutingEnabled(true)
            .setServerChannelEnabled(true).groupspecWithAuthorizations();

    final SimNetwork net = new SimNetwork(SimNetwork.seedFromEnvironment(System.nanoTime()));
    final SimRendezvous world = new SimRendezvous(net, Authenticator.open());

    /** A member and what it heard. */
    final class Member {
        final NetConnection nc;
        final NetGroup group;
        final List<NetStatus> events = new ArrayList<>();
        final List<NetStatus> connectionEvents = new ArrayList<>();

        Member() {
            this(SPEC);
        }

        Member(String spec) {
            nc = world.connection(null);
            nc.addStatusListener(connectionEvents::add);
            CompletableFuture<NetConnection> f = nc.connect(URL);
            run(f::isDone);
            group = new NetGroup(nc, spec);
            group.addStatusListener(events::add);
        }

        List<NetStatus> events(String code) {
            return events.stream().filter(e -> e.code().equals(code)).toList();
        }
    }

    void run(BooleanSupplier until) {
        assertThat(net.runUntil(until, 120 * SECOND)).as("seed " + net.seed()).isTrue();
    }

    List<Member> members(int n) {
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Member());
        }
        return out;
    }

    @Test
    void membersJoinBecomeNeighborsAndEveryPostingReachesEveryOtherMember() {
        List<Member> all = members(5);
        run(() -> all.stream().allMatch(m -> m.group.neighborCount() == 4));
        assertThat(all.get(0).connectionEvents).extracting(NetStatus::code).contains(Status.GROUP_CONNECT_SUCCESS);
        assertThat(all.get(0).events(Status.GROUP_NEIGHBOR_CONNECT)).hasSize(4);

        String id = all.get(2).group.post("hello group");
        assertThat(id).hasSize(64);
        run(() -> all.stream().filter(m -> m != all.get(2))
                .allMatch(m -> !m.events(Status.GROUP_POSTING_NOTIFY).isEmpty()));
        net.runFor(5 * SECOND);
        for (Member m : all) {
            List<NetStatus> got = m.events(Status.GROUP_POSTING_NOTIFY);
            if (m == all.get(2)) {
                assertThat(got).isEmpty();
            } else {
                assertThat(got).hasSize(1);
                assertThat(got.get(0).info()).containsEntry("message", "hello group").containsEntry("messageID", id);
            }
        }
    }

    @Test
    void aDirectedMessageReachesTheMemberNearestItsAddress() {
        List<Member> all = members(6);
        run(() -> all.stream().allMatch(m -> m.group.neighborCount() == 5));
        Member target = all.get(4);
        String address = target.group.convertPeerIDToGroupAddress(target.nc.nearId());
        assertThat(all.get(0).group.sendToNearest("for you", address)).isEqualTo(NetGroupSendResult.SENT);
        run(() -> !target.events(Status.GROUP_SEND_TO_NOTIFY).isEmpty());
        NetStatus got = target.events(Status.GROUP_SEND_TO_NOTIFY).get(0);
        assertThat(got.info()).containsEntry("message", "for you").containsEntry("fromLocal", false)
                .containsEntry("destination", address);

        // In the default exact mode, an address nobody has is taken by nobody; in nearest mode, by the nearest.
        all.forEach(m -> m.group.setReceiveMode(ReceiveMode.NEAREST));
        net.runFor(2 * SECOND);
        String near = target.group.localCoverageFrom();
        assertThat(all.get(1).group.sendToNearest("near you", near)).isEqualTo(NetGroupSendResult.SENT);
        run(() -> target.events(Status.GROUP_SEND_TO_NOTIFY).size() == 2 || all.get(1) == target);
    }

    /**
     * Above a full mesh, members ask the neighbors they do not need to go (spec §5.5), and one that
     * grants it ends the relation before the asker hears so. A directed message the asker sends in
     * that half round trip, to the very member that let it go, still arrives: the asker no longer
     * takes a neighbor it asked to go as a route.
     */
    @Test
    void aDirectedMessageSentAsANeighborLetsTheSenderGoStillArrives() {
        net.setDefaultConditions(LinkConditions.PERFECT.withDelay(25 * SECOND / 1000));
        List<Member> all = members(20);
        Map<String, Member> byPeer = new HashMap<>();
        all.forEach(m -> byPeer.put(m.nc.nearId(), m));
        List<Member> expectedAt = new ArrayList<>();
        for (Member m : all) {
            String address = m.group.convertPeerIDToGroupAddress(m.nc.nearId());
            m.group.addStatusListener(s -> {
                if (s.code().equals(Status.GROUP_NEIGHBOR_DISCONNECT)) {
                    Member gone = byPeer.get((String) s.info().get("peerID"));
                    String tag = "after " + expectedAt.size();
                    expectedAt.add(m);
                    assertThat(gone.group.sendToNearest(tag, address)).isEqualTo(NetGroupSendResult.SENT);
                }
            });
        }
        net.runFor(90 * SECOND);
        assertThat(expectedAt).as("relations ended by disconnect requests, seed " + net.seed()).isNotEmpty();
        for (int i = 0; i < expectedAt.size(); i++) {
            String tag = "after " + i;
            assertThat(expectedAt.get(i).events(Status.GROUP_SEND_TO_NOTIFY))
                    .as("%s, seed %d", tag, net.seed())
                    .anySatisfy(e -> assertThat(e.info()).containsEntry("message", tag));
        }
    }

    @Test
    void aMemberThatLeavesIsANeighborNoMore() {
        List<Member> all = members(3);
        run(() -> all.stream().allMatch(m -> m.group.neighborCount() == 2));
        String leaving = all.get(2).nc.nearId();
        all.get(2).group.close();
        run(() -> all.get(0).group.neighborCount() == 1 && all.get(1).group.neighborCount() == 1);
        assertThat(all.get(0).events(Status.GROUP_NEIGHBOR_DISCONNECT)).singleElement()
                .satisfies(e -> assertThat(e.info()).containsEntry("peerID", leaving)
                        .containsEntry("neighbor", all.get(0).group.convertPeerIDToGroupAddress(leaving)));
        // Its postings reach nobody: it is not in the group any more.
        assertThat(all.get(2).group.post("anyone?")).isNull();
    }

    @Test
    void localCoverageShrinksAsNeighborsArriveAndIsSaid() {
        Member first = new Member();
        run(() -> first.connectionEvents.stream().anyMatch(e -> e.code().equals(Status.GROUP_CONNECT_SUCCESS)));
        String wholeFrom = first.group.localCoverageFrom();
        String wholeTo = first.group.localCoverageTo();
        Member second = new Member();
        run(() -> first.group.neighborCount() == 1 && second.group.neighborCount() == 1);
        assertThat(first.events(Status.GROUP_LOCAL_COVERAGE_NOTIFY)).isNotEmpty();
        assertThat(List.of(first.group.localCoverageFrom(), first.group.localCoverageTo()))
                .isNotEqualTo(List.of(wholeFrom, wholeTo));
        // Between the two members, each covers what is nearer to it: the boundaries meet.
        java.math.BigInteger firstTo = new java.math.BigInteger(first.group.localCoverageTo(), 16);
        java.math.BigInteger secondFrom = new java.math.BigInteger(second.group.localCoverageFrom(), 16);
        java.math.BigInteger secondTo = new java.math.BigInteger(second.group.localCoverageTo(), 16);
        java.math.BigInteger firstFrom = new java.math.BigInteger(first.group.localCoverageFrom(), 16);
        java.math.BigInteger ring = java.math.BigInteger.ONE.shiftLeft(256);
        assertThat(firstTo.add(java.math.BigInteger.ONE).mod(ring)).isEqualTo(secondFrom);
        assertThat(secondTo.add(java.math.BigInteger.ONE).mod(ring)).isEqualTo(firstFrom);
    }

    @Test
    void aGroupNeedsAConnectedConnectionAndOneMembershipPerConnection() {
        NetConnection idle = world.connection(null);
        NetGroup orphan = new NetGroup(idle, SPEC);
        List<NetStatus> orphanEvents = new ArrayList<>();
        orphan.addStatusListener(orphanEvents::add);
        run(() -> !orphanEvents.isEmpty());
        assertThat(orphanEvents.get(0).code()).isEqualTo(Status.GROUP_CONNECT_FAILED);

        Member m = new Member();
        NetGroup again = new NetGroup(m.nc, SPEC);
        List<NetStatus> againEvents = new ArrayList<>();
        again.addStatusListener(againEvents::add);
        run(() -> !againEvents.isEmpty());
        assertThat(againEvents.get(0).code()).isEqualTo(Status.GROUP_CONNECT_REJECTED);
        assertThat(m.events).extracting(NetStatus::code).contains(Status.GROUP_CONNECT_SUCCESS);
    }

    @Test
    void neighborsGetMessagesSentToThemAndTrafficIsCounted() {
        List<Member> all = members(4);
        run(() -> all.stream().allMatch(m -> m.group.neighborCount() == 3));
        Member from = all.get(0);
        assertThat(from.group.sendToAllNeighbors("to all")).isEqualTo(NetGroupSendResult.SENT);
        run(() -> all.subList(1, 4).stream().allMatch(m -> m.events(Status.GROUP_SEND_TO_NOTIFY).size() == 1));
        for (Member m : all.subList(1, 4)) {
            assertThat(m.events(Status.GROUP_SEND_TO_NOTIFY).get(0).info()).containsEntry("message", "to all")
                    .containsEntry("fromLocal", false)
                    .containsEntry("from", from.group.convertPeerIDToGroupAddress(from.nc.nearId()));
        }
        assertThat(from.group.sendToNeighbor("up", io.rtmfp4j.flash.group.NetGroupSendMode.NEXT_INCREASING))
                .isEqualTo(NetGroupSendResult.SENT);
        String up = from.group.neighbors().stream().map(NetGroup.NeighborInfo::groupAddress)
                .filter(a -> a.compareTo(from.group.convertPeerIDToGroupAddress(from.nc.nearId())) > 0).findFirst()
                .orElse(from.group.neighbors().get(0).groupAddress());
        Member upper = all.stream().filter(m -> m.group.convertPeerIDToGroupAddress(m.nc.nearId()).equals(up))
                .findFirst().orElseThrow();
        run(() -> upper.events(Status.GROUP_SEND_TO_NOTIFY).size() == 2);
        assertThat(upper.events(Status.GROUP_SEND_TO_NOTIFY).get(1).info()).containsEntry("message", "up");
        assertThat(from.group.info().routingSendBytes()).isPositive();
        assertThat(upper.group.info().routingReceiveBytes()).isPositive();

        from.group.post("counted");
        run(() -> all.get(1).group.info().postingReceiveDataBytes() > 0);
        assertThat(from.group.info().postingSendDataBytesPerSecond()).isPositive();
    }

    @Test
    void withAPostingPasswordOnlyMembersHoldingItMayPost() {
        GroupSpecifier spec = new GroupSpecifier("guarded").setPostingEnabled(true).setServerChannelEnabled(true)
                .setPostingPassword("secret", "salt");
        Member poster = new Member(spec.groupspecWithAuthorizations());
        Member reader = new Member(spec.groupspecWithoutAuthorizations());
        run(() -> poster.group.neighborCount() == 1 && reader.group.neighborCount() == 1);
        assertThat(reader.group.post("let me in")).isNull();
        assertThat(poster.group.post("authorized")).isNotNull();
        run(() -> reader.events(Status.GROUP_POSTING_NOTIFY).size() == 1);
        assertThat(reader.events(Status.GROUP_POSTING_NOTIFY).get(0).info()).containsEntry("message", "authorized");
    }

    @Test
    void groupFlowsThatDoNotCheckOutAreRefusedAndTheGroupGoesOn() {
        List<Member> all = members(3);
        run(() -> all.stream().allMatch(m -> m.group.neighborCount() == 2));
        Member victim = all.get(0);
        NetConnection attacker = world.connection(null);
        CompletableFuture<NetConnection> connected = attacker.connect(URL);
        run(connected::isDone);
        List<String> refused = new ArrayList<>();
        attacker.host().execute(e -> attacker.services().openPeer(victim.nc.nearId(), List.of(),
                new io.rtmfp4j.core.session.ConnectListener() {
                    @Override
                    public void onOpen(io.rtmfp4j.core.session.Session session) {
                        byte[] badKey = new byte[32];
                        String groupId = io.rtmfp4j.flash.group.GroupSpec.parse(SPEC).groupIdHex();
                        open(session, GroupFlow.REPORT, new byte[] {0x01, 0x41, 0x00, 0x31}, "truncated connect");
                        open(session, GroupFlow.REPORT, new GroupConnect(groupId, badKey, victim.nc.nearId()).encode(),
                                "wrong key");
                        open(session, GroupFlow.REPORT, new GroupConnect(groupId.replace('a', 'b'), badKey,
                                victim.nc.nearId()).encode(), "another group");
                        open(session, GroupFlow.PRIVATE_POSTING, new byte[] {0x01, 0x02}, "posting out of nowhere");
                    }

                    private void open(io.rtmfp4j.core.session.Session session, GroupFlow kind, byte[] message,
                            String what) {
                        io.rtmfp4j.core.session.SendFlow f = session.openFlow(kind.metadata(), null, 3);
                        f.setListener(new io.rtmfp4j.core.session.SendFlowListener() {
                            @Override
                            public void onException(io.rtmfp4j.core.session.SendFlow flow, long code) {
                                refused.add(what);
                            }
                        });
                        f.write(message);
                    }

                    @Override
                    public void onFailure(io.rtmfp4j.core.session.CloseReason reason) {
                        throw new AssertionError(reason);
                    }
                }));
        run(() -> refused.size() == 4);
        assertThat(refused).containsExactlyInAnyOrder("truncated connect", "wrong key", "another group",
                "posting out of nowhere");
        assertThat(victim.group.neighborCount()).isEqualTo(2);
        assertThat(victim.group.info().refusedConnects()).as("the connect with a wrong key, counted").isEqualTo(1);
        String id = all.get(1).group.post("still here");
        run(() -> victim.events(Status.GROUP_POSTING_NOTIFY).stream()
                .anyMatch(e -> id.equals(e.info().get("messageID"))));
    }
}
