package io.rtmfp4j.flash.net;

import static io.rtmfp4j.flash.net.ScriptedServer.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.tc.Command;
import io.rtmfp4j.flash.tc.Status;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The connection to the server, against a scripted server in simulation. */
@ExtendWith(SimSeedExtension.class)
class NetConnectionTest {
    final SimNetwork net = new SimNetwork(SimNetwork.seedFromEnvironment(System.nanoTime()));
    final ScriptedServer server = new ScriptedServer(net, new InetSocketAddress("10.0.0.1", 1935));
    final List<NetStatus> events = new ArrayList<>();

    void run(BooleanSupplier until) {
        assertThat(net.runUntil(until, 60 * SECOND)).as("seed " + net.seed()).isTrue();
    }

    NetConnection connected(NetConnection nc, String url) {
        nc.addStatusListener(events::add);
        CompletableFuture<NetConnection> f = nc.connect(url);
        run(f::isDone);
        assertThat(f).isCompletedWithValue(nc);
        return nc;
    }

    static NetStatus failure(CompletableFuture<?> f) {
        Throwable t = f.handle((ok, e) -> e).join();
        assertThat(t).isNotNull();
        return ((NetStatusException) (t instanceof CompletionException ? t.getCause() : t)).status();
    }

    @Test
    void connectSucceedsThenReportsTheLocalAddressesWithSetPeerInfo() {
        NetConnection nc = connected(NetConnection.on(server.host(new InetSocketAddress("10.0.1.9", 50000)), null, null),
                "rtmfp://10.0.0.1/app");
        assertThat(nc.isConnected()).isTrue();
        assertThat(nc.farId()).contains(server.endpoint.identity().certificate().peerId());
        assertThat(events).extracting(NetStatus::code).containsExactly(Status.CONNECT_SUCCESS);
        run(() -> !server.received(Command.SET_PEER_INFO).isEmpty());
        assertThat(server.received(Command.SET_PEER_INFO).get(0).arguments()).containsExactly("10.0.1.9:50000");
    }

    @Test
    void setPeerInfoIsSentOnALoopbackOnlyNetworkToo() {
        ScriptedServer local = new ScriptedServer(net, new InetSocketAddress("127.0.0.1", 1935));
        connected(NetConnection.on(local.host(new InetSocketAddress("127.0.0.1", 50000)), null, null),
                "rtmfp://127.0.0.1/app");
        run(() -> !local.received(Command.SET_PEER_INFO).isEmpty());
        assertThat(local.received(Command.SET_PEER_INFO).get(0).arguments()).containsExactly("127.0.0.1:50000");
    }

    @Test
    void aRejectedConnectFailsWithTheServersReason() {
        server.connectAnswer = c -> Command.error(c.transactionId(), null,
                Status.info(Status.LEVEL_ERROR, Status.CONNECT_REJECTED, "not today"));
        NetConnection nc = NetConnection.on(server.host(), null, null);
        nc.addStatusListener(events::add);
        CompletableFuture<NetConnection> f = nc.connect("rtmfp://10.0.0.1/app");
        run(f::isDone);
        assertThat(failure(f).code()).isEqualTo(Status.CONNECT_REJECTED);
        assertThat(failure(f).description()).isEqualTo("not today");
        assertThat(events).extracting(NetStatus::code).containsExactly(Status.CONNECT_REJECTED);
        assertThat(nc.isConnected()).isFalse();
    }

    @Test
    void callsGetTheServersAnswerOrError() {
        NetConnection nc = connected(NetConnection.on(server.host(), null, null), "rtmfp://10.0.0.1/app");
        CompletableFuture<Object> echo = nc.call("echo", 42.0);
        CompletableFuture<Object> missing = nc.call("nothing");
        run(() -> echo.isDone() && missing.isDone());
        assertThat(echo).isCompletedWithValue(42.0);
        assertThat(failure(missing).code()).isEqualTo(Status.CALL_FAILED);
    }

    @Test
    void theServersCallsReachTheCallHandlerUntilItIsRemoved() {
        NetConnection nc = connected(NetConnection.on(server.host(), null, null), "rtmfp://10.0.0.1/app");
        nc.setCallHandler("whoAreYou", args -> "peer " + args.get(0));
        server.sendToAll(Command.call("whoAreYou", 7, "x"));
        run(() -> server.commands.stream().anyMatch(c -> c.transactionId() == 7));
        Command answer = server.commands.stream().filter(c -> c.transactionId() == 7).findFirst().orElseThrow();
        assertThat(answer.name()).isEqualTo(Command.RESULT);
        assertThat(answer.arguments()).containsExactly("peer x");

        nc.setCallHandler("whoAreYou", null);
        server.sendToAll(Command.call("whoAreYou", 8, "x"));
        run(() -> server.commands.stream().anyMatch(c -> c.transactionId() == 8));
        assertThat(server.commands.stream().filter(c -> c.transactionId() == 8).findFirst().orElseThrow().name())
                .isEqualTo(Command.ERROR);
    }

    @Test
    void aRemovedStatusListenerHearsNothingMore() {
        NetConnection nc = connected(NetConnection.on(server.host(), null, null), "rtmfp://10.0.0.1/app");
        List<NetStatus> second = new ArrayList<>();
        NetStatusListener listener = second::add;
        nc.addStatusListener(listener);
        server.sendToAll(Command.onStatus(Status.info(Status.LEVEL_STATUS, "App.First", "one")));
        run(() -> second.size() == 1);
        nc.removeStatusListener(listener);
        server.sendToAll(Command.onStatus(Status.info(Status.LEVEL_STATUS, "App.Second", "two")));
        run(() -> events.stream().anyMatch(e -> e.code().equals("App.Second")));
        assertThat(second).extracting(NetStatus::code).containsExactly("App.First");
    }

    @Test
    void theServerSayingClosedEndsTheConnectionAndFailsWaitingCalls() {
        NetConnection nc = connected(NetConnection.on(server.host(), null, null), "rtmfp://10.0.0.1/app");
        server.sendToAll(Command.onStatus(Status.info(Status.LEVEL_STATUS, Status.CONNECT_CLOSED, "bye")));
        run(() -> !nc.isConnected());
        assertThat(events).extracting(NetStatus::code).containsExactly(Status.CONNECT_SUCCESS, Status.CONNECT_CLOSED);
        CompletableFuture<Object> late = nc.call("echo", 1.0);
        run(late::isDone);
        assertThat(failure(late).description()).isEqualTo("not connected");
    }

    @Test
    void servicesHearTheEndOfTheConnectionOnce() {
        NetConnection nc = connected(NetConnection.on(server.host(), null, null), "rtmfp://10.0.0.1/app");
        List<NetStatus> ends = new ArrayList<>();
        nc.host().execute(e -> nc.services().onClose(ends::add));
        nc.close();
        run(() -> !ends.isEmpty());
        nc.host().execute(e -> nc.services().onClose(ends::add));
        run(() -> ends.size() == 2);
        assertThat(ends).extracting(NetStatus::description).containsOnly("closed by the application");
    }
}
