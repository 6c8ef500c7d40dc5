package io.rtmfp4j.server.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rtmfp4j.runtime.tunnel.TunnelServer;
import io.rtmfp4j.server.RendezvousServer;
import io.rtmfp4j.server.relay.RelaySettings;
import io.rtmfp4j.server.relay.RelayStats;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The relay and the TCP tunnel on {@code /status} and {@code /metrics} (docs/server.md). */
final class ReachStatus {
    private ReachStatus() {
    }

    /** Adds {@code relay} and {@code tunnel} to the status document. */
    static void addTo(Map<String, Object> doc, RendezvousServer server) {
        RelayStats r = server.relayStats();
        RelaySettings settings = server.reach().relay();
        Map<String, Object> relay = new LinkedHashMap<>();
        relay.put("enabled", settings.enabled());
        relay.put("active", r.active());
        relay.put("made", r.made());
        relay.put("bound", r.bound());
        relay.put("datagrams", r.datagramsRelayed());
        relay.put("bytes", r.bytesRelayed());
        relay.put("refused", lowerKeys(r.refusals()));
        relay.put("dropped", lowerKeys(r.drops()));
        relay.put("ended", lowerKeys(r.ends()));
        doc.put("relay", relay);
        Map<String, Object> tunnel = new LinkedHashMap<>();
        tunnel.put("enabled", server.tunnel().isPresent());
        server.tunnel().ifPresent(t -> {
            tunnel.put("address", t.address().toString());
            tunnel.put("open", t.open());
            tunnel.put("opened", t.opened());
            tunnel.put("datagramsIn", t.datagramsIn());
            tunnel.put("datagramsOut", t.datagramsOut());
            tunnel.put("dropped", t.dropped());
        });
        doc.put("tunnel", tunnel);
    }

    private static Map<String, Long> lowerKeys(Map<? extends Enum<?>, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k.name().toLowerCase(Locale.ROOT), v));
        return out;
    }

    /** Registers the relay's and the tunnel's meters. */
    static void bind(MeterRegistry registry, RendezvousServer server) {
        RelayStats r = server.relayStats();
        Gauge.builder("rtmfp_relays", r, RelayStats::active).description("Relays open now").register(registry);
        FunctionCounter.builder("rtmfp_relays_made", r, RelayStats::made).description("Relays made")
                .register(registry);
        FunctionCounter.builder("rtmfp_relays_bound", r, RelayStats::bound)
                .description("Relays whose two ends both bound").register(registry);
        FunctionCounter.builder("rtmfp_relay_datagrams", r, RelayStats::datagramsRelayed)
                .description("Datagrams the relay forwarded").register(registry);
        FunctionCounter.builder("rtmfp_relay_bytes", r, RelayStats::bytesRelayed)
                .description("Bytes the relay forwarded").register(registry);
        for (RelayStats.Refusal x : RelayStats.Refusal.values()) {
            FunctionCounter.builder("rtmfp_relay_refusals", r, s -> s.refusals(x))
                    .description("Requests for a relay refused, by reason")
                    .tag("reason", x.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        for (RelayStats.Drop x : RelayStats.Drop.values()) {
            FunctionCounter.builder("rtmfp_relay_drops", r, s -> s.drops(x))
                    .description("Datagrams at relay ports not forwarded, by reason")
                    .tag("reason", x.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        for (RelayStats.End x : RelayStats.End.values()) {
            FunctionCounter.builder("rtmfp_relays_ended", r, s -> s.ends(x)).description("Relays ended, by reason")
                    .tag("reason", x.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        server.tunnel().ifPresent(t -> {
            Gauge.builder("rtmfp_tunnels", t, TunnelServer::open).description("TCP tunnels open now")
                    .register(registry);
            FunctionCounter.builder("rtmfp_tunnels_opened", t, TunnelServer::opened).description("TCP tunnels opened")
                    .register(registry);
            FunctionCounter.builder("rtmfp_tunnel_datagrams_in", t, TunnelServer::datagramsIn)
                    .description("Datagrams that came through TCP tunnels").register(registry);
            FunctionCounter.builder("rtmfp_tunnel_datagrams_out", t, TunnelServer::datagramsOut)
                    .description("Datagrams sent down TCP tunnels").register(registry);
            FunctionCounter.builder("rtmfp_tunnel_drops", t, TunnelServer::dropped)
                    .description("Datagrams for a tunnel that was gone or full").register(registry);
        });
    }
}
