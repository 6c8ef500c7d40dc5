package io.rtmfp4j.server;

import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.server.cluster.NodeLink;
import io.rtmfp4j.server.groups.Group;
import io.rtmfp4j.flash.group.wire.GroupChannel;
import io.rtmfp4j.server.groups.GroupMembership;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group bootstrap on the server channel (netgroup spec §4): a client joins a group with one
 * message on a "GC" flow, and hears peer IDs of members on our return flow, chosen by
 * {@link Group}'s policy; closing the flow, or the session ending, leaves the group. In a cluster the
 * group's members are those of every node ({@link GroupMembership}), and an announcement for a
 * member connected elsewhere goes to its node ({@link NodeLink#announce}). Loop thread only.
 */
final class GroupBootstrap {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.server");
    /** Server-channel flows are time critical, as the control flow is (spec §6.2). */
    private static final int CHANNEL_PRIORITY = 5;

    private final Clients clients;
    private final RendezvousSettings settings;
    private final ServerStats stats;
    private final GroupMembership groups;
    private final NodeLink link;
    private final LoopExecutor loop;
    /** Members connected here, by group ID: the gauges count this node's groups. */
    private final Map<String, Integer> local = new HashMap<>();
    private int memberships;

    GroupBootstrap(Clients clients, RendezvousSettings settings, ServerStats stats, GroupMembership groups,
            NodeLink link, LoopExecutor loop) {
        this.clients = clients;
        this.settings = settings;
        this.stats = stats;
        this.groups = groups;
        this.link = link;
        this.loop = loop;
    }

    /** A connected client's server-channel flow: its first message names the group it joins. */
    void onChannel(Client c, ReceiveFlow flow) {
        String[] joined = new String[1];
        flow.accept(new ReceiveFlowHandler() {
            @Override
            public void onMessage(ReceiveFlow f, byte[] message) {
                if (joined[0] != null) {
                    return;
                }
                String groupId = GroupChannel.parseJoin(message).orElse(null);
                if (groupId == null) {
                    stats.malformedMessages.incrementAndGet();
                    return;
                }
                if (c.group(groupId) != null || c.groupCount() >= settings.maxGroupsPerClient()) {
                    stats.flowsRefused.incrementAndGet();
                    f.reject(0);
                    return;
                }
                joined[0] = groupId;
                join(c, f, groupId);
            }

            @Override
            public void onComplete(ReceiveFlow f) {
                // Closing the channel is how a client leaves a group (netgroup spec §4.3).
                if (joined[0] != null) {
                    leave(c, joined[0]);
                }
            }
        });
    }

    /** A client stops being connected: it leaves every group it joined. */
    void leaveAll(Client c) {
        for (String groupId : c.groupIds()) {
            leave(c, groupId);
        }
    }

    /** The largest groups, members by group ID, for the status page. */
    CompletionStage<Map<String, Integer>> largest(int limit) {
        return groups.largest(limit);
    }

    private void join(Client c, ReceiveFlow channel, String groupId) {
        SendFlow reply = c.session.openFlow(GroupChannel.METADATA, channel, CHANNEL_PRIORITY);
        c.addGroup(groupId, reply);
        memberships++;
        local.merge(groupId, 1, Integer::sum);
        stats.groupJoins.incrementAndGet();
        updateGauges();
        loop.whenDone(groups.join(groupId, c.peerId), (change, error) -> {
            if (error != null) {
                log.warn("group join failed: {}", error.toString());
                return;
            }
            // The member may have left while the cluster decided: what it would have heard goes nowhere.
            if (c.group(groupId) == reply) {
                announce(reply, change.toNewcomer());
            }
            deliver(groupId, change.toMembers());
        });
    }

    private void leave(Client c, String groupId) {
        SendFlow reply = c.removeGroup(groupId);
        if (reply == null) {
            return;
        }
        memberships--;
        local.computeIfPresent(groupId, (g, n) -> n == 1 ? null : n - 1);
        reply.close();
        updateGauges();
        loop.whenDone(groups.leave(groupId, c.peerId), (change, error) -> {
            if (error != null) {
                log.warn("group leave failed: {}", error.toString());
            } else {
                deliver(groupId, change.toMembers());
            }
        });
    }

    private void updateGauges() {
        stats.groups = local.size();
        stats.groupMemberships = memberships;
    }

    /** Announcements for members here go on their server channels, the others to their nodes. */
    private void deliver(String groupId, List<GroupMembership.Delivery> deliveries) {
        for (GroupMembership.Delivery d : deliveries) {
            if (link == null || d.node().equals(link.self())) {
                announceHere(groupId, d.member(), d.peerIds());
            } else {
                link.announce(d.node(), groupId, d.member(), d.peerIds());
            }
        }
    }

    /** Announces peer IDs to a member connected here, if it still is and still in the group. */
    void announceHere(String groupId, String member, List<String> peerIds) {
        Client c = clients.connected(member);
        SendFlow flow = c == null ? null : c.group(groupId);
        if (flow != null) {
            announce(flow, peerIds);
        }
    }

    private void announce(SendFlow flow, List<String> peerIds) {
        for (String p : peerIds) {
            if (flow.state() == SendFlow.State.OPEN) {
                flow.write(GroupChannel.announcement(p));
                stats.groupAnnouncements.incrementAndGet();
            }
        }
    }
}
