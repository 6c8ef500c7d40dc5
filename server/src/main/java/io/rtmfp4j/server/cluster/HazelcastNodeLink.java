package io.rtmfp4j.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.WireFormatException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NodeLink} over Hazelcast topics: each node listens on a topic of its own
 * ({@code rtmfp.node.<name>}) and sends a {@link ClusterMessage} by publishing on the other node's.
 * Nothing waits: a request is answered on the requester's topic, matched by its ID.
 *
 * <p>What a node holds for the others is bounded: at most {@link #MAX_PENDING} of its own requests
 * waiting for answers (each failed after {@link #ANSWER_TIMEOUT}), and at most {@link #MAX_QUEUED}
 * of theirs queued on its loop; beyond either, a request is dropped (the initiator's IHello is
 * retransmitted) and counted.
 */
final class HazelcastNodeLink implements NodeLink {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.cluster");
    static final int MAX_PENDING = 4096;
    static final int MAX_QUEUED = 4096;
    /** Longer than a hop between nodes ever takes; shorter than the initiator's first IHello retransmission. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(1);
    static final String TOPIC_PREFIX = "rtmfp.node.";

    private final HazelcastInstance hz;
    private final String self;
    private final Executor loop;
    private final Map<Long, CompletableFuture<List<Address>>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Handler handler;

    HazelcastNodeLink(HazelcastInstance hz, String self, Executor loop) {
        this.hz = hz;
        this.self = self;
        this.loop = loop;
        ITopic<byte[]> mine = hz.getTopic(TOPIC_PREFIX + self);
        mine.addMessageListener(m -> onMessage(m.getMessageObject()));
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public void setHandler(Handler handler) {
        this.handler = handler;
    }

    /** Requests dropped because a bound was reached, or answers that came too late. */
    long dropped() {
        return dropped.get();
    }

    @Override
    public CompletionStage<List<Address>> forwardHello(String node, String peerId, byte[] rawEpd, byte[] tag,
            InetSocketAddress initiator) {
        if (pending.size() >= MAX_PENDING) {
            dropped.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("too many introductions in flight"));
        }
        long id = nextId.incrementAndGet();
        CompletableFuture<List<Address>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        answer.orTimeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> pending.remove(id));
        send(node, new ClusterMessage.ForwardHello(id, self, peerId, rawEpd, tag,
                new Address(initiator, Address.Origin.OBSERVED)));
        return answer;
    }

    @Override
    public void announce(String node, String groupId, String member, List<String> peerIds) {
        ClusterMessage.Announce m = new ClusterMessage.Announce(groupId, member, peerIds);
        if (node.equals(self)) {
            onLoop(() -> handler.onAnnounce(groupId, member, m.peerIds()));
        } else {
            send(node, m);
        }
    }

    private void send(String node, ClusterMessage m) {
        hz.<byte[]>getTopic(TOPIC_PREFIX + node).publishAsync(m.encode());
    }

    private void onMessage(byte[] bytes) {
        ClusterMessage m;
        try {
            m = ClusterMessage.decode(bytes);
        } catch (WireFormatException e) {
            dropped.incrementAndGet();
            log.debug("dropped a cluster message that did not decode: {}", e.getMessage());
            return;
        }
        if (m instanceof ClusterMessage.ForwardHello f) {
            onLoop(() -> {
                List<Address> addresses = handler.onForwardHello(f.peerId(), f.rawEpd(), f.tag(),
                        f.initiator().socketAddress());
                send(f.replyTo(), new ClusterMessage.HelloForwarded(f.id(), addresses));
            });
        } else if (m instanceof ClusterMessage.HelloForwarded h) {
            CompletableFuture<List<Address>> answer = pending.remove(h.id());
            if (answer == null) {
                dropped.incrementAndGet();
            } else {
                answer.complete(h.addresses());
            }
        } else if (m instanceof ClusterMessage.Announce a) {
            onLoop(() -> handler.onAnnounce(a.groupId(), a.member(), a.peerIds()));
        }
    }

    /** Queues work for the loop, within {@link #MAX_QUEUED}. */
    private void onLoop(Runnable task) {
        if (handler == null || queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        loop.execute(() -> {
            queued.decrementAndGet();
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("contained an internal error while handling a request of another node", e);
            }
        });
    }
}
