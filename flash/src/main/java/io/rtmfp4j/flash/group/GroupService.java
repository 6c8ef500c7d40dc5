package io.rtmfp4j.flash.group;

import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.group.wire.GroupConnect;
import io.rtmfp4j.flash.group.wire.GroupFlow;
import io.rtmfp4j.flash.net.ConnectionServices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The NetGroups of one connection and the flows that reach them (netgroup spec §1): a peer's
 * {@code GR 1C} flow names its group in its first message, the group connect, and goes to that
 * group's engine; every other group flow answers one of ours and reaches its owner by that
 * association. Session events go to every group. One per connection; loop thread only.
 */
final class GroupService implements EndpointListener {
    private final ConnectionServices services;
    private final Map<String, GroupEngine> byGroupId = new HashMap<>();

    private GroupService(ConnectionServices services) {
        this.services = services;
        services.flows().route(GroupFlow.REPORT.metadata(), s -> !services.isServer(s), this::onReportFlow);
        services.flows().watch(this);
    }

    static GroupService of(ConnectionServices services) {
        return services.shared(GroupService.class, GroupService::new);
    }

    /** Adds a group; false if this connection already has a NetGroup for the same group ID. */
    boolean add(GroupEngine engine) {
        return byGroupId.putIfAbsent(engine.spec().groupIdHex(), engine) == null;
    }

    void remove(GroupEngine engine) {
        byGroupId.remove(engine.spec().groupIdHex(), engine);
    }

    private void onReportFlow(ReceiveFlow flow) {
        flow.accept(new ForwardingHandler(this::onFirstMessage));
    }

    /** The first message of a peer's {@code GR 1C} flow: it must be a group connect for a group of ours. */
    private void onFirstMessage(ReceiveFlow flow, byte[] message, ForwardingHandler handler) {
        GroupConnect connect;
        try {
            connect = GroupConnect.decode(message);
        } catch (WireFormatException e) {
            refuse(flow);
            return;
        }
        GroupEngine engine = byGroupId.get(connect.groupIdHex().toLowerCase(Locale.ROOT));
        if (engine == null) {
            refuse(flow);
            return;
        }
        engine.onConnectFlow(flow, connect, handler);
    }

    /** A group flow that does not start with a group connect for a group of ours. */
    private void refuse(ReceiveFlow flow) {
        flow.reject(0);
    }

    @Override
    public void onSessionClosed(Session session, CloseReason reason) {
        for (GroupEngine g : engines()) {
            g.sessionClosed(session);
        }
    }

    private List<GroupEngine> engines() {
        return new ArrayList<>(byGroupId.values());
    }
}
