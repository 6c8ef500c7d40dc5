package io.rtmfp4j.server;

import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.ReceiveFlowHandler;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.server.groups.Group;
import io.rtmfp4j.flash.group.wire.GroupChannel;
import io.rtmfp4j.server.groups.GroupRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Group bootstrap on the server channel (netgroup spec §4): a client joins a group with one
 * message on a "GC" flow, and hears peer IDs of members on our return flow, chosen by
 * {@link Group}'s policy; closing the flow, or the session ending, leaves the group. Loop thread
 * only.
 */
final class GroupBootstrap {
    /** Server-channel flows are time critical, as the control flow is (spec §6.2). */
    private static final int CHANNEL_PRIORITY = 5;

    private final Clients clients;
    private final RendezvousSettings settings;
    private final ServerStats stats;
    private final GroupRegistry groups = new GroupRegistry();
    private int memberships;

    GroupBootstrap(Clients clients, RendezvousSettings settings, ServerStats stats) {
        this.clients = clients;
        this.settings = settings;
        this.stats = stats;
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

    /** Group sizes by group ID, for the status page. */
    Map<String, Integer> sizes() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Group g : groups.groups()) {
            out.put(g.id(), g.size());
        }
        return out;
    }

    private void join(Client c, ReceiveFlow channel, String groupId) {
        SendFlow reply = c.session.openFlow(GroupChannel.METADATA, channel, CHANNEL_PRIORITY);
        c.addGroup(groupId, reply);
        memberships++;
        Group.Announcements a = groups.join(groupId, c.peerId);
        stats.groupJoins.incrementAndGet();
        announce(reply, a.toNewcomer());
        announceToMembers(groupId, a.toMembers());
        updateGauges();
    }

    private void leave(Client c, String groupId) {
        SendFlow reply = c.removeGroup(groupId);
        if (reply == null) {
            return;
        }
        memberships--;
        reply.close();
        announceToMembers(groupId, groups.leave(groupId, c.peerId).toMembers());
        updateGauges();
    }

    private void updateGauges() {
        stats.groups = groups.size();
        stats.groupMemberships = memberships;
    }

    private void announceToMembers(String groupId, Map<String, List<String>> toMembers) {
        for (Map.Entry<String, List<String>> e : toMembers.entrySet()) {
            Client member = clients.connected(e.getKey());
            SendFlow flow = member == null ? null : member.group(groupId);
            if (flow != null) {
                announce(flow, e.getValue());
            }
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
