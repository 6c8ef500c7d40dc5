package io.rtmfp4j.core.session;

import java.util.PriorityQueue;

/**
 * Wake-ups for many sessions in O(log n). Each session has a single wake-up time (the earliest of
 * its timers); rescheduling pushes a new entry and leaves the old one to be skipped when popped,
 * which is cheaper than removing it from the heap.
 */
final class TimerQueue {
    private record Entry(long deadline, Session session) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            return Long.compare(deadline, o.deadline);
        }
    }

    private final PriorityQueue<Entry> heap = new PriorityQueue<>();

    /** Records that {@code session} wants to wake at {@code deadline} (Long.MAX_VALUE: never). */
    void schedule(Session session, long deadline) {
        if (session.scheduledWakeup == deadline) {
            return;
        }
        session.scheduledWakeup = deadline;
        if (deadline != Long.MAX_VALUE) {
            heap.add(new Entry(deadline, session));
        }
    }

    /** The earliest live deadline, dropping stale entries on the way. */
    long nextDeadline() {
        Entry head;
        while ((head = heap.peek()) != null && head.session.scheduledWakeup != head.deadline) {
            heap.poll();
        }
        return head == null ? Long.MAX_VALUE : head.deadline;
    }

    /** Removes and returns a session whose deadline is due, or null. */
    Session pollDue(long now) {
        while (true) {
            Entry head = heap.peek();
            if (head == null || head.deadline > now) {
                return null;
            }
            heap.poll();
            if (head.session.scheduledWakeup == head.deadline) {
                head.session.scheduledWakeup = Long.MAX_VALUE;
                return head.session;
            }
        }
    }
}
