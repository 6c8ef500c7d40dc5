package io.rtmfp4j.flash.group.wire;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.Option;
import io.rtmfp4j.core.wire.Vlu;
import io.rtmfp4j.core.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A multicast stream announcement, or a viewer's subscription (type 21 on a
 * {@link GroupFlow#MEDIA_REPORT} flow, netgroup spec §8.2): the stream's name and key and the
 * publisher's multicast parameters, as librtmfp writes them (presumed to copy Flash):
 *
 * <pre>
 * 21  VLU(len+1) 00 &lt;name&gt;  21 01 &lt;32-byte key&gt;  01 02  [01 06]
 *     VLU(n) 03 VLU(window ms)  04 04 92 a7 60  VLU(n) 05 VLU(update period ms)  VLU(n) 07 VLU(fetch period ms)
 * </pre>
 *
 * The reader is lenient where librtmfp is rigid: VLU lengths everywhere, the {@code 00} and
 * {@code 21 01} types checked, parameters in any order, unknown options skipped by their length,
 * and the parameters after {@code 01 06} read too (librtmfp stops there). Option 02 (always sent)
 * and 04 (always 300000) have unknown meanings and are ignored when read. A parameter missing
 * from a received announcement takes Flash's default. Names of 127 UTF-8 bytes or more take a
 * two-byte length, which librtmfp receivers misread: publishers should refuse them
 * ({@link #MAX_NAME_BYTES}).
 *
 * @param name the stream name passed to {@code publish()}
 * @param streamKey the 32 bytes that identify this publication (spec §8.1; librtmfp draws them at random)
 * @param availabilitySendToAll {@code multicastAvailabilitySendToAll}
 * @param windowDurationMs {@code multicastWindowDuration}
 * @param availabilityUpdatePeriodMs {@code multicastAvailabilityUpdatePeriod}
 * @param fetchPeriodMs {@code multicastFetchPeriod}
 */
public record StreamAnnouncement(String name, byte[] streamKey, boolean availabilitySendToAll, long windowDurationMs,
        long availabilityUpdatePeriodMs, long fetchPeriodMs) implements GroupMessage {
    public static final int TYPE = 0x21;
    /** Longest name librtmfp reads correctly: its reader takes the length as one byte. */
    public static final int MAX_NAME_BYTES = 126;
    public static final int KEY_LENGTH = 32;
    /** Flash's defaults (Adobe's documentation), for parameters a received announcement leaves out. */
    public static final long DEFAULT_WINDOW_MS = 8000;
    public static final long DEFAULT_UPDATE_PERIOD_MS = 100;
    public static final long DEFAULT_FETCH_PERIOD_MS = 2500;

    private static final int NAME = 0x00;
    private static final int KEY = 0x01;
    private static final int UNKNOWN_FLAG = 0x02;
    private static final int WINDOW = 0x03;
    private static final int UNKNOWN_CONSTANT = 0x04;
    private static final long UNKNOWN_CONSTANT_VALUE = 300_000;
    private static final int UPDATE_PERIOD = 0x05;
    private static final int SEND_TO_ALL = 0x06;
    private static final int FETCH_PERIOD = 0x07;

    public StreamAnnouncement {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a multicast stream needs a name");
        }
        if (streamKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("a stream key is 32 bytes, got " + streamKey.length);
        }
        streamKey = streamKey.clone();
        if (windowDurationMs < 0 || availabilityUpdatePeriodMs < 0 || fetchPeriodMs < 0) {
            throw new IllegalArgumentException("multicast periods must be non-negative");
        }
    }

    @Override
    public byte[] streamKey() {
        return streamKey.clone();
    }

    /** The key as it travels: {@code 21 01} and the 32 bytes (spec §8.1). */
    public byte[] streamKeyOption() {
        ByteWriter w = new ByteWriter(2 + KEY_LENGTH);
        new Option(KEY, streamKey).encode(w);
        return w.toByteArray();
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter(64 + name.length());
        w.u8(TYPE);
        new Option(NAME, name.getBytes(StandardCharsets.UTF_8)).encode(w);
        new Option(KEY, streamKey).encode(w);
        new Option(UNKNOWN_FLAG, new byte[0]).encode(w);
        if (availabilitySendToAll) {
            new Option(SEND_TO_ALL, new byte[0]).encode(w);
        }
        new Option(WINDOW, Vlu.encode(windowDurationMs)).encode(w);
        new Option(UNKNOWN_CONSTANT, Vlu.encode(UNKNOWN_CONSTANT_VALUE)).encode(w);
        new Option(UPDATE_PERIOD, Vlu.encode(availabilityUpdatePeriodMs)).encode(w);
        new Option(FETCH_PERIOD, Vlu.encode(fetchPeriodMs)).encode(w);
        return w.toByteArray();
    }

    /**
     * Reads an announcement.
     *
     * @throws WireFormatException if it is malformed, or is the short end-of-stream form ({@link StreamEnd})
     */
    public static StreamAnnouncement decode(byte[] message) {
        if (StreamEnd.isEnd(message)) {
            throw new WireFormatException("a 21 message this short is an end of stream, not an announcement");
        }
        ByteReader r = GroupWire.body(message, TYPE, "stream announcement");
        Option name = Option.decodeOne(r);
        if (name == null || name.type() != NAME || name.value().length == 0) {
            throw new WireFormatException("stream announcement must start with a non-empty name (option 00)");
        }
        Option key = Option.decodeOne(r);
        if (key == null || key.type() != KEY || key.value().length != KEY_LENGTH) {
            throw new WireFormatException("stream announcement: expected the stream key 21 01 <32 bytes>");
        }
        boolean sendToAll = false;
        long window = DEFAULT_WINDOW_MS;
        long update = DEFAULT_UPDATE_PERIOD_MS;
        long fetch = DEFAULT_FETCH_PERIOD_MS;
        for (Option o : Option.decodeUnterminated(r)) {
            // 02, 04 and any other type: meaning unknown, skipped.
            if (o.type() == SEND_TO_ALL) {
                sendToAll = true;
            } else if (o.type() == WINDOW) {
                window = value(o);
            } else if (o.type() == UPDATE_PERIOD) {
                update = value(o);
            } else if (o.type() == FETCH_PERIOD) {
                fetch = value(o);
            }
        }
        return new StreamAnnouncement(new String(name.value(), StandardCharsets.UTF_8), key.value(), sendToAll, window,
                update, fetch);
    }

    private static long value(Option o) {
        return new ByteReader(o.value()).vlu();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamAnnouncement a && a.name.equals(name) && MessageDigest.isEqual(a.streamKey, streamKey)
                && a.availabilitySendToAll == availabilitySendToAll && a.windowDurationMs == windowDurationMs
                && a.availabilityUpdatePeriodMs == availabilityUpdatePeriodMs && a.fetchPeriodMs == fetchPeriodMs;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(streamKey);
    }

    @Override
    public String toString() {
        return "StreamAnnouncement[name=" + name + ", key=" + Hex.encode(streamKey)
                + ", sendToAll=" + availabilitySendToAll + ", window=" + windowDurationMs + " ms, update="
                + availabilityUpdatePeriodMs + " ms, fetch=" + fetchPeriodMs + " ms]";
    }
}
