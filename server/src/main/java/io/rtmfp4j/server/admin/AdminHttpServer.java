package io.rtmfp4j.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rtmfp4j.core.session.DropReason;
import io.rtmfp4j.core.session.EndpointStats;
import io.rtmfp4j.server.RendezvousServer;
import io.rtmfp4j.server.ServerStats;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener: {@code GET /status} (JSON), {@code GET /metrics} (Prometheus text) and
 * {@code GET /dashboard} (an HTML page drawn from {@code /status}). It
 * binds to loopback by default because it needs no authentication only as long as nobody else can
 * reach it.
 */
public final class AdminHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpServer.class);
    private static final int LARGEST_GROUPS = 10;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The dashboard: a page that draws itself from {@code /status}, polled once a second. */
    private static final String DASHBOARD = resource("dashboard.html");

    private final HttpServer http;
    private final ExecutorService executor;
    private final RendezvousServer server;
    private final ServerMetrics metrics;

    private AdminHttpServer(HttpServer http, RendezvousServer server, ServerMetrics metrics) {
        this.http = http;
        this.server = server;
        this.metrics = metrics;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rtmfp-admin-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/status", ex -> respond(ex, "application/json", this::status));
        http.createContext("/metrics", ex -> respond(ex, "text/plain; version=0.0.4; charset=utf-8", metrics::scrape));
        http.createContext("/dashboard", ex -> respond(ex, "text/html; charset=utf-8", () -> DASHBOARD));
        http.createContext("/", ex -> {
            if (ex.getRequestURI().getPath().equals("/")) {
                respond(ex, "text/plain; charset=utf-8",
                        () -> "rtmfp4j server admin: /dashboard (HTML), /status (JSON), /metrics (Prometheus)\n");
            } else {
                send(ex, 404, "text/plain; charset=utf-8", "not found\n");
            }
        });
        http.start();
    }

    public static AdminHttpServer start(InetSocketAddress address, RendezvousServer server, ServerMetrics metrics)
            throws IOException {
        return new AdminHttpServer(HttpServer.create(address, 16), server, metrics);
    }

    private static String resource(String name) {
        try (var in = AdminHttpServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    private interface Body {
        String get() throws IOException;
    }

    private static void respond(HttpExchange ex, String type, Body body) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                send(ex, 405, "text/plain; charset=utf-8", "only GET\n");
                return;
            }
            String text;
            try {
                text = body.get();
            } catch (RuntimeException e) {
                // The server is stopping (its loop refuses work) or a bug: say so rather than hang up.
                log.warn("admin request {} failed", ex.getRequestURI(), e);
                send(ex, 500, "text/plain; charset=utf-8", "status unavailable: " + e.getMessage() + "\n");
                return;
            }
            send(ex, 200, type, text);
        }
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The status document; its shape is documented in docs/server.md. */
    String status() throws IOException {
        ServerStats s = server.stats();
        EndpointStats e = server.endpointStats();
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> srv = new LinkedHashMap<>();
        srv.put("peerId", server.peerId());
        srv.put("addresses", server.localAddresses().stream().map(InetSocketAddress::toString).toList());
        srv.put("transport", server.transport());
        srv.put("uptimeSeconds", (System.currentTimeMillis() - server.startedAtMillis()) / 1000);
        doc.put("server", srv);
        Map<String, Object> socket = new LinkedHashMap<>();
        socket.put("receiveBufferBytes", server.receiveBufferBytes());
        server.kernelDrops().ifPresent(d -> socket.put("kernelDrops", d));
        doc.put("socket", socket);
        doc.put("sessions", s.sessions());
        doc.put("closingSessions", e.closingSessions());
        doc.put("peers", s.connectedClients());
        doc.put("nicknames", s.nicknames());
        Map<String, Object> connects = new LinkedHashMap<>();
        connects.put("accepted", s.connectsAccepted());
        connects.put("rejected", s.connectsRejected());
        connects.put("timedOut", s.connectTimeouts());
        doc.put("connects", connects);
        Map<String, Object> intro = new LinkedHashMap<>();
        intro.put("made", s.introductions());
        intro.put("unknownPeer", s.introductionsUnknownPeer());
        intro.put("remote", s.introductionsRemote());
        intro.put("forOtherNodes", s.introductionsForNodes());
        doc.put("introductions", intro);
        Map<String, Object> groups = new LinkedHashMap<>();
        groups.put("count", s.groups());
        groups.put("memberships", s.groupMemberships());
        groups.put("joins", s.groupJoins());
        groups.put("announcements", s.groupAnnouncements());
        groups.put("largest", server.largestGroups(LARGEST_GROUPS).join().entrySet().stream()
                .map(g -> Map.of("id", g.getKey(), "members", g.getValue()))
                .toList());
        doc.put("groups", groups);
        Map<String, Object> commands = new LinkedHashMap<>();
        commands.put("received", s.commands());
        commands.put("errors", s.commandErrors());
        commands.put("malformedMessages", s.malformedMessages());
        commands.put("flowsRefused", s.flowsRefused());
        doc.put("commands", commands);
        Map<String, Object> drops = new LinkedHashMap<>();
        for (DropReason r : DropReason.values()) {
            drops.put(r.name().toLowerCase(Locale.ROOT), e.drops(r));
        }
        doc.put("drops", drops);
        Map<String, Object> traffic = new LinkedHashMap<>();
        for (EndpointStats.Counter c : EndpointStats.Counter.values()) {
            traffic.put(c.name().toLowerCase(Locale.ROOT), e.get(c));
        }
        doc.put("endpoint", traffic);
        server.node().ifPresent(self -> {
            Map<String, Object> cluster = new LinkedHashMap<>();
            cluster.put("node", self);
            cluster.put("members", server.clusterSize());
            cluster.put("droppedMessages", server.clusterDrops());
            cluster.put("nodes", server.nodes().stream().map(n -> {
                Map<String, Object> node = new LinkedHashMap<>();
                node.put("node", n.node());
                node.put("self", n.node().equals(self));
                node.put("peerId", n.peerId());
                node.put("addresses", n.addresses());
                node.put("admin", n.admin());
                node.put("sessions", n.sessions());
                node.put("clients", n.clients());
                node.put("uptimeSeconds", (n.updatedAtMillis() - n.startedAtMillis()) / 1000);
                node.put("updatedAtMillis", n.updatedAtMillis());
                return node;
            }).toList());
            doc.put("cluster", cluster);
        });
        ReachStatus.addTo(doc, server);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("heapUsedBytes", heap.getUsed());
        memory.put("heapCommittedBytes", heap.getCommitted());
        doc.put("memory", memory);
        return JSON.writeValueAsString(doc) + "\n";
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
