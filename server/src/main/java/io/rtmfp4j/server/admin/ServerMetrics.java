package io.rtmfp4j.server.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rtmfp4j.core.session.DropReason;
import io.rtmfp4j.core.session.EndpointStats;
import io.rtmfp4j.server.RendezvousServer;
import io.rtmfp4j.server.ServerStats;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The server's Micrometer registry, scraped in Prometheus text format on {@code /metrics}. */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public ServerMetrics(RendezvousServer server) {
        ServerStats s = server.stats();
        EndpointStats e = server.endpointStats();
        gauge("rtmfp_sessions", "Open RTMFP sessions", s, ServerStats::sessions);
        gauge("rtmfp_sessions_closing", "Ended sessions still finishing their close exchange", e,
                EndpointStats::closingSessions);
        gauge("rtmfp_clients_connected", "Sessions whose connect succeeded", s, ServerStats::connectedClients);
        gauge("rtmfp_nicknames", "Connected clients with a nickname", s, ServerStats::nicknames);
        gauge("rtmfp_groups", "Groups with at least one member", s, ServerStats::groups);
        gauge("rtmfp_group_memberships", "Group memberships", s, ServerStats::groupMemberships);
        counter("rtmfp_connects_accepted", "Connects accepted", s, ServerStats::connectsAccepted);
        counter("rtmfp_connects_rejected", "Connects rejected", s, ServerStats::connectsRejected);
        counter("rtmfp_connect_timeouts", "Sessions closed for not connecting in time", s, ServerStats::connectTimeouts);
        counter("rtmfp_introductions", "P2P introductions made", s, ServerStats::introductions);
        counter("rtmfp_introductions_unknown_peer", "Introductions asked for a peer not connected", s,
                ServerStats::introductionsUnknownPeer);
        counter("rtmfp_introductions_remote", "Introductions of a peer connected to another node of the cluster", s,
                ServerStats::introductionsRemote);
        counter("rtmfp_introductions_for_nodes", "IHellos forwarded to this node's clients for other nodes", s,
                ServerStats::introductionsForNodes);
        gauge("rtmfp_cluster_nodes", "Rendezvous nodes of the cluster as last heard (1 on its own)", server,
                x -> Math.max(1, x.nodes().size()));
        counter("rtmfp_cluster_dropped_messages", "Requests between nodes dropped at a bound or answered too late",
                server, RendezvousServer::clusterDrops);
        counter("rtmfp_group_joins", "Group joins", s, ServerStats::groupJoins);
        counter("rtmfp_group_announcements", "Peer IDs announced on server channels", s, ServerStats::groupAnnouncements);
        counter("rtmfp_commands", "Commands received", s, ServerStats::commands);
        counter("rtmfp_command_errors", "Commands answered with an error", s, ServerStats::commandErrors);
        counter("rtmfp_malformed_messages", "Messages that did not decode", s, ServerStats::malformedMessages);
        gauge("rtmfp_socket_receive_buffer_bytes", "Socket receive buffer the kernel granted", server,
                RendezvousServer::receiveBufferBytes);
        if (server.kernelDrops().isPresent()) {
            counter("rtmfp_socket_kernel_drops", "Datagrams the kernel dropped because the receive buffer was full",
                    server, x -> x.kernelDrops().orElse(0));
        }
        for (EndpointStats.Counter c : EndpointStats.Counter.values()) {
            counter("rtmfp_" + c.name().toLowerCase(Locale.ROOT), "Endpoint counter " + c.name(), e, x -> x.get(c));
        }
        for (DropReason r : DropReason.values()) {
            FunctionCounter.builder("rtmfp_drops", e, x -> x.drops(r))
                    .description("Inbound datagrams or chunks dropped, by reason")
                    .tag("reason", r.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        ReachStatus.bind(registry, server);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    private <T> void gauge(String name, String help, T obj, ToDoubleFunction<T> f) {
        Gauge.builder(name, obj, f).description(help).register(registry);
    }

    private <T> void counter(String name, String help, T obj, ToDoubleFunction<T> f) {
        FunctionCounter.builder(name, obj, f).description(help).register(registry);
    }

    /** Everything, in Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        registry.close();
    }
}
