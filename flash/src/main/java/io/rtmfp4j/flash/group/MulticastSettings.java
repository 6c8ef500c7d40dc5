package io.rtmfp4j.flash.group;

import java.time.Duration;
import java.util.Objects;

/**
 * The multicast properties of a NetStream in a group, with Flash's names and defaults (Adobe's
 * documentation; netgroup spec §8, §15). A publisher's window, availability update period, fetch
 * period and send-to-all travel in its stream announcement and viewers adopt them; the relay
 * margin and the push neighbor limit are each member's own.
 *
 * @param windowDuration            {@code multicastWindowDuration}: how much of the stream, by
 *                                  arrival time, a member keeps for its neighbors
 * @param relayMarginDuration       {@code multicastRelayMarginDuration}: kept this much longer than
 *                                  the window, so that a neighbor a little behind can still fetch it
 * @param availabilityUpdatePeriod  {@code multicastAvailabilityUpdatePeriod}: how often a member
 *                                  tells a neighbor which fragments it holds (the fragments map)
 * @param fetchPeriod               {@code multicastFetchPeriod}: how long a pull request may stay
 *                                  unanswered before the fragment is asked of another neighbor
 * @param pushNeighborLimit         {@code multicastPushNeighborLimit}: to how many neighbors at most
 *                                  each fragment is pushed; with pull answers, the number of copies of
 *                                  each fragment a publisher uploads
 * @param availabilitySendToAll     {@code multicastAvailabilitySendToAll}: maps go to every neighbor
 *                                  each period rather than to one in turn
 */
public record MulticastSettings(Duration windowDuration, Duration relayMarginDuration,
        Duration availabilityUpdatePeriod, Duration fetchPeriod, int pushNeighborLimit,
        boolean availabilitySendToAll) {
    /** The most this project accepts for any of the durations: a stream kept an hour is no longer live. */
    static final Duration MAX_DURATION = Duration.ofHours(1);
    /** A push limit beyond any neighbor count the overlay keeps. */
    static final int MAX_PUSH_NEIGHBORS = 64;
    public static final MulticastSettings DEFAULTS = new MulticastSettings(Duration.ofSeconds(8), Duration.ofSeconds(2),
            Duration.ofMillis(100), Duration.ofMillis(2500), 4, false);

    public MulticastSettings {
        check("windowDuration", windowDuration, false);
        check("relayMarginDuration", relayMarginDuration, true);
        check("availabilityUpdatePeriod", availabilityUpdatePeriod, false);
        check("fetchPeriod", fetchPeriod, false);
        if (pushNeighborLimit < 0 || pushNeighborLimit > MAX_PUSH_NEIGHBORS) {
            throw new IllegalArgumentException("multicastPushNeighborLimit must be 0 to " + MAX_PUSH_NEIGHBORS + ": "
                    + pushNeighborLimit);
        }
    }

    private static void check(String name, Duration d, boolean zeroAllowed) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || (!zeroAllowed && d.toMillis() < 1) || d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? "0" : "1 ms") + " to 1 hour: " + d);
        }
    }

    public MulticastSettings withWindowDuration(Duration d) {
        return new MulticastSettings(d, relayMarginDuration, availabilityUpdatePeriod, fetchPeriod, pushNeighborLimit,
                availabilitySendToAll);
    }

    public MulticastSettings withRelayMarginDuration(Duration d) {
        return new MulticastSettings(windowDuration, d, availabilityUpdatePeriod, fetchPeriod, pushNeighborLimit,
                availabilitySendToAll);
    }

    public MulticastSettings withAvailabilityUpdatePeriod(Duration d) {
        return new MulticastSettings(windowDuration, relayMarginDuration, d, fetchPeriod, pushNeighborLimit,
                availabilitySendToAll);
    }

    public MulticastSettings withFetchPeriod(Duration d) {
        return new MulticastSettings(windowDuration, relayMarginDuration, availabilityUpdatePeriod, d,
                pushNeighborLimit, availabilitySendToAll);
    }

    public MulticastSettings withPushNeighborLimit(int limit) {
        return new MulticastSettings(windowDuration, relayMarginDuration, availabilityUpdatePeriod, fetchPeriod, limit,
                availabilitySendToAll);
    }

    public MulticastSettings withAvailabilitySendToAll(boolean all) {
        return new MulticastSettings(windowDuration, relayMarginDuration, availabilityUpdatePeriod, fetchPeriod,
                pushNeighborLimit, all);
    }

    /** How long a fragment is kept after it arrived: the window and the relay margin. */
    long keepMicros() {
        return (windowDuration.toMillis() + relayMarginDuration.toMillis()) * 1000;
    }
}
