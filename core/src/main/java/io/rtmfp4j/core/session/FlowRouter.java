package io.rtmfp4j.core.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The one listener of an endpoint that several services share. RFC 7016 leaves a flow's meaning
 * to its user metadata (§3.6.2.1), so each incoming flow goes to the consumer registered for its
 * metadata: the longest registered prefix that matches, among routes that take flows from that
 * flow's session; a flow no route takes is rejected. A flow that answers one of ours (its return
 * flow association, §3.6.3.1) goes first to whoever {@linkplain #routeReturns registered} for
 * that flow of ours. Session events go to every watcher.
 *
 * <p>A connection to a rendezvous server, its direct streams and its groups each register here
 * instead of one class knowing every kind of flow. Loop thread only, like the endpoint; routes and
 * watchers may be added or removed from inside a callback.
 */
public final class FlowRouter implements EndpointListener {
    /** Takes (accepts or rejects) a flow routed to it. */
    @FunctionalInterface
    public interface FlowConsumer {
        void onFlow(ReceiveFlow flow);
    }

    /** Undoes a {@link #route} or {@link #watch}; calling it twice is harmless. */
    @FunctionalInterface
    public interface Registration {
        void remove();
    }

    private record Route(byte[] prefix, Predicate<Session> sessions, FlowConsumer consumer) {
        boolean takes(byte[] metadata, Session session) {
            return metadata.length >= prefix.length
                    && Arrays.equals(metadata, 0, prefix.length, prefix, 0, prefix.length)
                    && sessions.test(session);
        }
    }

    /** Longest prefix first; among equal prefixes, in registration order. */
    private List<Route> routes = List.of();
    private List<EndpointListener> watchers = List.of();
    private final Map<SendFlow, FlowConsumer> returns = new HashMap<>();

    /** Routes flows whose metadata starts with {@code metadataPrefix}, from any session, to {@code consumer}. */
    public Registration route(byte[] metadataPrefix, FlowConsumer consumer) {
        return route(metadataPrefix, session -> true, consumer);
    }

    /**
     * Routes flows whose metadata starts with {@code metadataPrefix} and whose session
     * {@code sessions} accepts to {@code consumer}.
     */
    public Registration route(byte[] metadataPrefix, Predicate<Session> sessions, FlowConsumer consumer) {
        Route r = new Route(metadataPrefix.clone(), Objects.requireNonNull(sessions), Objects.requireNonNull(consumer));
        List<Route> next = new ArrayList<>(routes);
        int at = 0;
        while (at < next.size() && next.get(at).prefix.length >= r.prefix.length) {
            at++;
        }
        next.add(at, r);
        routes = List.copyOf(next);
        return () -> {
            List<Route> less = new ArrayList<>(routes);
            less.remove(r);
            routes = List.copyOf(less);
        };
    }

    /**
     * Routes the flows the far end associates with {@code ours} (its answers to it) to
     * {@code consumer}, whatever their metadata. Remove the registration when {@code ours} is done
     * with: the router holds it until then.
     */
    public Registration routeReturns(SendFlow ours, FlowConsumer consumer) {
        Objects.requireNonNull(consumer);
        returns.put(Objects.requireNonNull(ours), consumer);
        return () -> returns.remove(ours, consumer);
    }

    /**
     * Tells {@code watcher} of session events (open, closed, ping replies, internal errors); its
     * {@link EndpointListener#onFlow} is never called: flows go by {@link #route}.
     */
    public Registration watch(EndpointListener watcher) {
        Objects.requireNonNull(watcher);
        List<EndpointListener> next = new ArrayList<>(watchers);
        next.add(watcher);
        watchers = List.copyOf(next);
        return () -> {
            List<EndpointListener> less = new ArrayList<>(watchers);
            less.remove(watcher);
            watchers = List.copyOf(less);
        };
    }

    @Override
    public void onFlow(ReceiveFlow flow) {
        FlowConsumer answer = flow.association() == null ? null : returns.get(flow.association());
        if (answer != null) {
            answer.onFlow(flow);
            return;
        }
        byte[] metadata = flow.metadata();
        for (Route r : routes) {
            if (r.takes(metadata, flow.session())) {
                r.consumer.onFlow(flow);
                return;
            }
        }
    }

    @Override
    public void onSessionOpen(Session session) {
        for (EndpointListener w : watchers) {
            w.onSessionOpen(session);
        }
    }

    @Override
    public void onSessionClosed(Session session, CloseReason reason) {
        for (EndpointListener w : watchers) {
            w.onSessionClosed(session, reason);
        }
    }

    @Override
    public void onPingReply(Session session, long rttMicros) {
        for (EndpointListener w : watchers) {
            w.onPingReply(session, rttMicros);
        }
    }

    @Override
    public void onInternalError(RuntimeException error) {
        for (EndpointListener w : watchers) {
            w.onInternalError(error);
        }
    }
}
