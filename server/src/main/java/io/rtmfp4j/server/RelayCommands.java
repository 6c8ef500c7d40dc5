package io.rtmfp4j.server;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.net.PeerIds;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.server.relay.Relay;
import io.rtmfp4j.server.relay.RelayAllocation;
import io.rtmfp4j.server.relay.RelayRefusedException;
import io.rtmfp4j.server.relay.RelayStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's commands on clients' control flows (docs/nat.md, "The relay"): {@code relay(peerId)}
 * from a connected client makes (or finds) a relay to that peer and answers with the client's
 * port and token; the peer hears {@code onRelay} with its own; both hear {@code onRelayReady}
 * once both ends are bound. A client that leaves ends its relays. Loop thread only.
 */
final class RelayCommands implements Relay.Events {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.server");

    private final Clients clients;
    private final ClientCommands commands;
    private final LongSupplier clock;
    private Relay relay;

    /** @param clock the server's time, in microseconds */
    RelayCommands(Clients clients, ClientCommands commands, LongSupplier clock) {
        this.clients = clients;
        this.commands = commands;
        this.clock = clock;
    }

    /** Starts taking the commands for {@code r}, whose events come here. */
    void attach(Relay r) {
        relay = r;
        commands.extend(Command.RELAY, this::onRelay);
        commands.onRelease(c -> relay.release(c.peerId));
    }

    private void onRelay(Client c, Command cmd) {
        List<Object> values = ClientCommands.valuesOf(cmd);
        if (cmd.transactionId() <= 0 || values.isEmpty() || !(values.get(0) instanceof String id)
                || !PeerIds.isPeerId(id)) {
            commands.fail(c, cmd, "relay takes one peer ID and needs a transaction ID");
            return;
        }
        String peerId = PeerIds.normalize(id);
        Client target = clients.connected(peerId);
        if (target == null) {
            commands.fail(c, cmd, "no peer " + peerId + " is connected");
            return;
        }
        RelayAllocation existing = relay.find(c.peerId, peerId).orElse(null);
        if (existing != null) {
            // Asked again (the answer was late, or the other peer asked first): the same relay.
            answer(c, cmd, existing);
            if (existing.isReady()) {
                tellReady(c, existing.endOf(c.peerId));
            }
            return;
        }
        relay.allocate(c.peerId, c.session.destination(), peerId, target.session.destination(), clock.getAsLong())
                .whenComplete((a, error) -> {
                    if (error != null) {
                        Throwable why = error.getCause() != null ? error.getCause() : error;
                        commands.fail(c, cmd, why instanceof RelayRefusedException r ? r.getMessage()
                                : "the relay could not be made");
                        return;
                    }
                    answer(c, cmd, a);
                    RelayAllocation.End far = a.target();
                    Client t = clients.connected(far.peerId());
                    if (t != null) {
                        commands.tell(t, Command.call(Command.ON_RELAY, 0, endInfo(a.requester().peerId(), far)));
                    }
                    log.atDebug().addKeyValue("peerId", c.peerId).addKeyValue("target", far.peerId())
                            .addKeyValue("ports", a.requester().port() + "," + far.port()).log("relay made");
                });
    }

    private void answer(Client c, Command cmd, RelayAllocation a) {
        RelayAllocation.End mine = a.endOf(c.peerId);
        commands.tell(c, Command.result(cmd.transactionId(), null, endInfo(mine.other().peerId(), mine)));
    }

    /** What a peer needs to use its end: whom it reaches, its port, its token. */
    private static Map<String, Object> endInfo(String otherPeer, RelayAllocation.End end) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("peerId", otherPeer);
        info.put("port", (double) end.port());
        info.put("token", Hex.encode(end.token()));
        return info;
    }

    @Override
    public void ready(RelayAllocation a) {
        for (RelayAllocation.End end : List.of(a.requester(), a.target())) {
            Client c = clients.connected(end.peerId());
            if (c != null) {
                tellReady(c, end);
            }
        }
    }

    private void tellReady(Client c, RelayAllocation.End end) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("peerId", end.other().peerId());
        commands.tell(c, Command.call(Command.ON_RELAY_READY, 0, info));
    }

    @Override
    public void ended(RelayAllocation a, RelayStats.End why) {
        log.atDebug().addKeyValue("peers", a.requester().peerId() + "," + a.target().peerId())
                .addKeyValue("reason", why.name().toLowerCase(java.util.Locale.ROOT)).log("relay ended");
    }
}
