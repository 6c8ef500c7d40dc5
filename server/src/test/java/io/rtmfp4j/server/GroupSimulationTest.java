package io.rtmfp4j.server;

import static io.rtmfp4j.server.SimRendezvous.SECOND;
import static io.rtmfp4j.server.SimRendezvous.URL;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.group.GroupSpecifier;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.group.NetGroupSendResult;
import io.rtmfp4j.flash.group.ReceiveMode;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.server.auth.Authenticator;
import java.util.ArrayList;
import java.util.List;
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
            nc = world.connection(null);
            nc.addStatusListener(connectionEvents::add);
            CompletableFuture<NetConnection> f = nc.connect(URL);
            run(f::isDone);
            group = new NetGroup(nc, SPEC);
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
}
