package io.rtmfp4j.flash.net;

import io.rtmfp4j.flash.tc.Status;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A status event as Flash reports it (spec §6.7): an info object whose {@code code} says what
 * happened ({@code NetConnection.Connect.Success}, {@code NetStream.Play.Start}, ...), with a
 * {@code level} of "status", "warning" or "error". The codes are Flash's, so Flash tutorials apply.
 *
 * @param info every property of the info object, unmodifiable; at least {@code code} and {@code level}
 */
public record NetStatus(String code, String level, String description, Map<String, Object> info) {
    public NetStatus {
        info = Collections.unmodifiableMap(new LinkedHashMap<>(info));
    }

    /** A status made here rather than received. */
    public static NetStatus of(String level, String code, String description) {
        return new NetStatus(code, level, description, Status.info(level, code, description));
    }

    /** Same, with extra properties in the info object (a peer ID, say). */
    public static NetStatus of(String level, String code, String description, Map<String, Object> extra) {
        Map<String, Object> info = new LinkedHashMap<>(Status.info(level, code, description));
        info.putAll(extra);
        return new NetStatus(code, level, description, info);
    }

    /**
     * Reads a received info object leniently: a value that is not an object, or an object without
     * a code, becomes a status with an empty code that carries the value as its description.
     */
    public static NetStatus from(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> info = new LinkedHashMap<>();
            map.forEach((k, v) -> info.put(String.valueOf(k), v));
            return new NetStatus(string(info.get("code")), string(info.get("level")), string(info.get("description")),
                    info);
        }
        String text = value == null ? "" : String.valueOf(value);
        return new NetStatus("", Status.LEVEL_ERROR, text, Map.of("description", text));
    }

    public boolean isError() {
        return Status.LEVEL_ERROR.equals(level);
    }

    private static String string(Object o) {
        return o instanceof String s ? s : "";
    }

    @Override
    public String toString() {
        return code + (description.isEmpty() ? "" : " (" + description + ")");
    }
}
