package io.rtmfp4j.flash.amf;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The entries of a decoded {@link Dictionary}, in the order they were read, with ActionScript's
 * strict equality on keys: values (see {@link #byValue}) compare with {@code equals}, every other
 * object by identity. Like {@link java.util.IdentityHashMap} it therefore breaks the general
 * {@code Map} contract for keys that are objects; that is the point (see {@link Dictionary}).
 */
final class DictionaryEntries extends AbstractMap<Object, Object> {

    /**
     * A key wrapped so that hashing it never looks inside a container. It is also ordered (by kind,
     * then by value, identity keys by identity hash): when a crafted message gives many keys one
     * hash (strings of "Aa"/"BB" pairs, doubles with equal halves), {@link java.util.HashMap} then
     * keeps that bucket as a tree, and decoding stays O(n log n) instead of O(n²).
     */
    private record Key(Object key) implements Comparable<Key> {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && (byValue(key) ? Objects.equals(key, other.key) : key == other.key);
        }

        @Override
        public int hashCode() {
            return byValue(key) ? Objects.hashCode(key) : System.identityHashCode(key);
        }

        @Override
        public int compareTo(Key o) {
            int kind = Integer.compare(kind(key), kind(o.key));
            if (kind != 0) {
                return kind;
            }
            return switch (kind(key)) {
                case 2 -> Boolean.compare((Boolean) key, (Boolean) o.key);
                case 3 -> Integer.compare(((Number) key).intValue(), ((Number) o.key).intValue());
                case 4 -> Double.compare(((Number) key).doubleValue(), ((Number) o.key).doubleValue());
                case 5 -> ((String) key).compareTo((String) o.key);
                case 6 -> ((Instant) key).compareTo((Instant) o.key);
                case 7 -> ((Xml) key).text().compareTo(((Xml) o.key).text());
                case 8 -> ((XmlDocument) key).text().compareTo(((XmlDocument) o.key).text());
                case 9 -> Integer.compare(System.identityHashCode(key), System.identityHashCode(o.key));
                default -> 0;
            };
        }

        private static int kind(Object k) {
            if (k == null) {
                return 0;
            } else if (k instanceof Undefined) {
                return 1;
            } else if (k instanceof Boolean) {
                return 2;
            } else if (k instanceof Integer || k instanceof Short || k instanceof Byte) {
                return 3;
            } else if (k instanceof Number) {
                return 4;
            } else if (k instanceof String) {
                return 5;
            } else if (k instanceof Instant) {
                return 6;
            } else if (k instanceof Xml) {
                return 7;
            } else if (k instanceof XmlDocument) {
                return 8;
            }
            return 9;
        }
    }

    private final Map<Key, Map.Entry<Object, Object>> entries = new LinkedHashMap<>();

    /** Values whose hash is cheap and bounded, and which ActionScript compares by value. */
    private static boolean byValue(Object key) {
        return key == null || key instanceof String || key instanceof Number || key instanceof Boolean
                || key instanceof Instant || key instanceof Undefined || key instanceof Xml
                || key instanceof XmlDocument;
    }

    @Override
    public Object put(Object key, Object value) {
        Map.Entry<Object, Object> existing = entries.get(new Key(key));
        if (existing != null) {
            return existing.setValue(value);
        }
        entries.put(new Key(key), new SimpleEntry<>(key, value));
        return null;
    }

    @Override
    public Object get(Object key) {
        Map.Entry<Object, Object> e = entries.get(new Key(key));
        return e == null ? null : e.getValue();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(new Key(key));
    }

    @Override
    public Object remove(Object key) {
        Map.Entry<Object, Object> e = entries.remove(new Key(key));
        return e == null ? null : e.getValue();
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public Set<Map.Entry<Object, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<Object, Object>> iterator() {
                return entries.values().iterator();
            }

            @Override
            public int size() {
                return entries.size();
            }
        };
    }

    /** Consistent with the key equality above, so it never hashes a key that is a container. */
    @Override
    public int hashCode() {
        int h = 0;
        for (Map.Entry<Key, Map.Entry<Object, Object>> e : entries.entrySet()) {
            h += e.getKey().hashCode() ^ Objects.hashCode(e.getValue().getValue());
        }
        return h;
    }
}
