package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.net.PeerInfo;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.runtime.UdpEndpoint;
import io.rtmfp4j.flash.group.wire.GroupChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three rendezvous nodes as real processes on loopback, clustered: clients spread over them look
 * each other up and are introduced across nodes, a group spanning the nodes bootstraps, and when
 * one node is killed (SIGKILL, no goodbye) its clients reconnect to the others and the directory
 * forgets those that do not; the node restarted with its --identity has its peer ID back.
 */
class ClusterProcessTest {
    /** Fixed ports (this suite's range), so that a restarted node is where its clients knew it. */
    private static final int UDP = 25910;
    private static final int CLUSTER = 25920;
    private static final int ADMIN = 25930;
    private static final int REDIRECTOR = 25940;
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(5);
    /** Bounds for events on a busy two-core machine (a node's JVM and Hazelcast start in it), not timings. */
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern NODE = Pattern.compile("cluster node ([0-9a-f-]{36})");
    private static final Pattern SERVER_ID = Pattern.compile("server peer ID ([0-9a-f]{64})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final Process[] nodes = new Process[4];
    /** Each node's server peer ID, by node. */
    private final String[] serverIds = new String[3];
    private final List<AutoCloseable> open = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        for (Process p : nodes) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private Process rtmfp(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Rtmfp.class.getName()));
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static List<String> clusterOptions(int port) {
        return List.of("--cluster-port", Integer.toString(port), "--cluster-members",
                "127.0.0.1:" + CLUSTER + ",127.0.0.1:" + (CLUSTER + 1) + ",127.0.0.1:" + (CLUSTER + 2),
                "--cluster-timeout", CLUSTER_TIMEOUT.toSeconds() + "s");
    }

    /** Starts node {@code i} and waits for its start lines; returns its server peer ID. */
    private String startNode(int i, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("server", "--bind", "127.0.0.1", "--port", Integer.toString(UDP + i),
                "--admin", "127.0.0.1:" + (ADMIN + i), "--client-keepalive", "5s"));
        args.addAll(clusterOptions(CLUSTER + i));
        args.addAll(Arrays.asList(extra));
        nodes[i] = rtmfp(args.toArray(String[]::new));
        Lines err = Lines.of(nodes[i].getErrorStream());
        serverIds[i] = err.group(SERVER_ID, WAIT);
        err.group(NODE, WAIT);
        return serverIds[i];
    }

    /** A redirector in front of the cluster, a member that holds none of its data. */
    private void startRedirector() throws Exception {
        List<String> args = new ArrayList<>(List.of("redirector", "--bind", "127.0.0.1", "--port",
                Integer.toString(REDIRECTOR)));
        args.addAll(clusterOptions(CLUSTER + 3));
        nodes[3] = rtmfp(args.toArray(String[]::new));
        Lines.of(nodes[3].getErrorStream()).await("rtmfp4j redirector listening", WAIT);
    }

    private JsonNode status(int i) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (ADMIN + i) + "/status"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** Every running node lists {@code n} nodes in its status (the redirector is a member, not a node). */
    private void awaitClusterOf(int n, int... running) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            for (int i : running) {
                JsonNode c = status(i).path("cluster");
                if (c.path("nodes").size() != n) {
                    return false;
                }
            }
            return true;
        });
    }

    /** A client with a short retransmit limit, so that it notices a dead server within seconds. */
    private final class Client {
        final PeerIdentity identity;
        final String name;
        final Set<String> announced = ConcurrentHashMap.newKeySet();
        final List<String> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        UdpEndpoint udp;
        NetConnection nc;
        int node;

        Client(String name) {
            this.name = name;
            this.identity = PeerIdentity.newFlashClient(new SecureRandom());
        }

        String peerId() {
            return identity.certificate().peerId();
        }

        void connect(int node) throws Exception {
            connect("rtmfp://127.0.0.1:" + (UDP + node) + "/app");
        }

        /** Connects to a node, or through the redirector; {@link #node} is then the node it landed on. */
        void connect(String url) throws Exception {
            udp = UdpEndpoint.bind(EndpointConfig.builder(identity).retransmitLimit(Duration.ofSeconds(8)).build(),
                    List.of(new InetSocketAddress("127.0.0.1", 0)), 1);
            nc = NetConnection.on(udp, null, name);
            open.add(udp);
            open.add(nc);
            nc.addStatusListener(s -> statuses.add(s.code()));
            nc.host().execute(ep -> nc.services().flows().route(GroupChannel.METADATA,
                    flow -> flow.accept((f, m) -> announced.add(Hex.encode(Arrays.copyOfRange(m, 1, m.length))))));
            nc.connect(url).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            node = Arrays.asList(serverIds).indexOf(nc.farId().orElseThrow());
        }

        void join(byte[] group) {
            nc.host().execute(ep -> nc.services().openServerFlow(GroupChannel.METADATA, 5).orElseThrow()
                    .write(GroupChannel.join(group)));
        }

        /** Opens a session to a peer through the server: the introduction, and the peer's answer. */
        CompletableFuture<Session> introduceTo(String peerId) {
            CompletableFuture<Session> opened = new CompletableFuture<>();
            nc.host().execute(ep -> nc.services().openPeer(peerId, List.of(), new ConnectListener() {
                @Override
                public void onOpen(Session session) {
                    opened.complete(session);
                }

                @Override
                public void onFailure(CloseReason reason) {
                    opened.completeExceptionally(new IllegalStateException(reason.toString()));
                }
            }));
            return opened;
        }

        boolean lost() {
            return statuses.contains(Status.CONNECT_CLOSED) || statuses.contains(Status.CONNECT_FAILED);
        }
    }

    private static Optional<PeerInfo> lookup(Client from, String name) throws Exception {
        try {
            return Optional.of(from.nc.lookup(name).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NetStatusException n && n.status().code().equals(Status.LOOKUP_NOT_FOUND)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Test
    void threeNodesShareTheDirectoryAndGroupsAndSurviveTheLossOfOne() throws Exception {
        Path identity = dir.resolve("node1.identity");
        PeerIdentity nodeIdentity = PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_14, DhGroup.GROUP_2),
                new SecureRandom());
        Files.writeString(identity, nodeIdentity.store());
        startNode(0);
        assertThat(startNode(1, "--identity", identity.toString())).isEqualTo(nodeIdentity.certificate().peerId());
        startNode(2);
        startRedirector();
        awaitClusterOf(3, 0, 1, 2);

        // Two clients on each node, and one more on node 1 that will not come back after it dies.
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Client c = new Client("c" + i);
            c.connect(i % 3);
            clients.add(c);
        }
        Client stays = new Client("gone");
        stays.connect(1);

        // Every client finds every other by nickname and by peer ID, wherever it is connected.
        int lookups = 0;
        for (Client from : clients) {
            for (Client to : clients) {
                if (from != to) {
                    assertThat(lookup(from, to.name).map(PeerInfo::peerId)).contains(to.peerId());
                    assertThat(lookup(from, to.peerId()).flatMap(PeerInfo::nickname)).contains(to.name);
                    lookups += 2;
                }
            }
        }
        assertThat(lookups).isEqualTo(60);

        // Every pair on different nodes is introduced: a session opens between them, through the target's node.
        List<CompletableFuture<Session>> introductions = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            for (int j = i + 1; j < clients.size(); j++) {
                if (clients.get(i).node != clients.get(j).node) {
                    introductions.add(clients.get(i).introduceTo(clients.get(j).peerId()));
                }
            }
        }
        assertThat(introductions).hasSize(12);
        CompletableFuture.allOf(introductions.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long remote = 0;
        for (int i = 0; i < 3; i++) {
            remote += status(i).path("introductions").path("remote").asLong();
        }
        assertThat(remote).isGreaterThanOrEqualTo(12);

        // A group spanning the nodes: with six members, each hears of all the others, wherever they are.
        byte[] group = new byte[32];
        new SecureRandom().nextBytes(group);
        for (Client c : clients) {
            c.join(group);
        }
        await().atMost(WAIT).until(() -> clients.stream().allMatch(c -> c.announced.size() == 5));
        for (Client c : clients) {
            assertThat(c.announced).doesNotContain(c.peerId())
                    .containsAll(clients.stream().filter(o -> o != c).map(Client::peerId).toList());
        }
        await().atMost(WAIT).until(() -> status(0).path("groups").path("largest").path(0).path("members").asInt() == 6);

        // Node 1 is killed: no goodbye to the cluster or its clients.
        long killedAt = System.nanoTime();
        nodes[1].destroyForcibly().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<Client> orphans = clients.stream().filter(c -> c.node == 1).toList();
        // The others forget its clients once the cluster has removed it: no stale entry.
        await().atMost(WAIT).until(() -> lookup(clients.get(0), "gone").isEmpty()
                && lookup(clients.get(2), stays.peerId()).isEmpty()
                && lookup(clients.get(0), orphans.get(0).name).isEmpty());
        System.out.printf("after the kill: its clients gone from the directory in %d ms (cluster timeout %d s)%n",
                (System.nanoTime() - killedAt) / 1_000_000, CLUSTER_TIMEOUT.toSeconds());
        await().atMost(WAIT).until(() -> orphans.stream().allMatch(Client::lost));
        // They reconnect through the redirector, which sends them to the nodes still up, with the same
        // identities and nicknames.
        awaitClusterOf(2, 0, 2);
        for (Client c : orphans) {
            c.connect("rtmfp://127.0.0.1:" + REDIRECTOR + "/app");
            assertThat(c.node).isIn(0, 2);
        }
        // Those that came back are found where they are now; the one that did not stays gone.
        assertThat(lookup(clients.get(0), "gone")).isEmpty();
        for (Client c : orphans) {
            assertThat(lookup(clients.get(0), c.name).map(PeerInfo::peerId)).contains(c.peerId());
            Client other = clients.stream().filter(o -> o.node != c.node).findFirst().orElseThrow();
            other.introduceTo(c.peerId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        // Restarted with its --identity, node 1 has its peer ID back and rejoins.
        assertThat(startNode(1, "--identity", identity.toString())).isEqualTo(nodeIdentity.certificate().peerId());
        awaitClusterOf(3, 0, 1, 2);
        assertThat(status(1).path("server").path("peerId").asText()).isEqualTo(nodeIdentity.certificate().peerId());
        assertThat(lookup(clients.get(1), "c0").map(PeerInfo::peerId)).contains(clients.get(0).peerId());
    }
}
