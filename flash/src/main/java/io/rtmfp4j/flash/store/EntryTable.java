package io.rtmfp4j.flash.store;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries one member holds, at most {@code maxEntries}: a key's first writer owns it here, and
 * only that writer's newer versions replace it. A signature is checked once, when an entry is new
 * to this member; the same entry coming again (a holder passing it on, a writer trying again)
 * costs a comparison and is {@code STORED}: it is.
 */
final class EntryTable {
    private final int maxEntries;
    private final Map<String, StoreEntry> entries = new LinkedHashMap<>();

    EntryTable(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    StoreOutcome offer(StoreEntry e) {
        StoreEntry held = entries.get(e.key());
        if (held != null && held.equals(e)) {
            // The same entry again: a writer's retry whose first answer was lost, or a holder passing it on.
            return StoreOutcome.STORED;
        }
        if (held != null && !held.sameWriter(e)) {
            return StoreOutcome.OTHER_WRITER;
        }
        if (held != null && e.version() <= held.version()) {
            return StoreOutcome.STALE;
        }
        if (held == null && entries.size() >= maxEntries) {
            return StoreOutcome.FULL;
        }
        if (!e.verified()) {
            return StoreOutcome.FORGED;
        }
        entries.put(e.key(), e);
        return StoreOutcome.STORED;
    }

    StoreEntry get(String key) {
        return entries.get(key);
    }

    void remove(String key) {
        entries.remove(key);
    }

    Collection<StoreEntry> all() {
        return entries.values();
    }

    int size() {
        return entries.size();
    }
}
