package io.rtmfp4j.core.crypto;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;

/**
 * The packet protections of one thread that hold initialised AES ciphers, least recently used
 * first. A JCE cipher keyed for AES-CBC takes about 750 bytes with its key schedule, and a session
 * needs two: a server with a hundred thousand idle sessions would spend 150 MB on ciphers it uses
 * once a keepalive period. So only the protections used most recently keep theirs; the others
 * give them up and key new ones when their next packet comes, which costs a few microseconds
 * (docs/architecture.md, "Memory per session").
 *
 * <p>A protection is used by its session's event loop only, so the set is one per thread and
 * takes no locks.
 */
final class LiveCiphers {
    /** Protections that keep their ciphers, per thread: about 6 MB of ciphers at most. */
    static final int CAPACITY = 4096;
    /** Spare ciphers kept per thread: enough for a burst of sessions closing, a few tens of KB. */
    static final int SPARES = 64;

    private static final ThreadLocal<LiveCiphers> PER_THREAD = ThreadLocal.withInitial(LiveCiphers::new);

    private final Map<PacketProtection, Boolean> live = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PacketProtection, Boolean> eldest) {
            if (size() <= CAPACITY) {
                return false;
            }
            eldest.getKey().dropCiphers();
            return true;
        }
    };
    /** The protection used last: a busy flow uses one many times in a row, and skips the map then. */
    private PacketProtection last;
    /**
     * Ciphers that protections of this thread gave up, to be keyed again rather than made anew:
     * a server closes about as many sessions as it opens, and making a cipher (the provider's
     * service lookup, a reflective constructor) costs more than keying it.
     */
    private final ArrayDeque<Cipher> spares = new ArrayDeque<>();

    private LiveCiphers() {
    }

    /** Notes that {@code p}, which holds ciphers, is being used now. */
    static void used(PacketProtection p) {
        LiveCiphers here = PER_THREAD.get();
        if (here.last != p) {
            here.live.put(p, Boolean.TRUE);
            here.last = p;
        }
    }

    /** Forgets {@code p}, whose session has ended. */
    static void forget(PacketProtection p) {
        LiveCiphers here = PER_THREAD.get();
        here.live.remove(p);
        if (here.last == p) {
            here.last = null;
        }
    }

    /** A cipher given up on this thread, to key again, or null. */
    static Cipher spare() {
        return PER_THREAD.get().spares.pollFirst();
    }

    /** Keeps {@code c}, which its protection gave up, for the next one on this thread (up to {@link #SPARES}). */
    static void keepSpare(Cipher c) {
        ArrayDeque<Cipher> spares = PER_THREAD.get().spares;
        if (spares.size() < SPARES) {
            spares.addFirst(c);
        }
    }

    /** How many spare ciphers this thread keeps, for tests. */
    static int sparesOnThisThread() {
        return PER_THREAD.get().spares.size();
    }

    /** How many protections of this thread hold ciphers, for tests. */
    static int liveOnThisThread() {
        return PER_THREAD.get().live.size();
    }
}
