package io.rtmfp4j.flash.tc;

import io.rtmfp4j.flash.amf.Amf0Writer;
import io.rtmfp4j.flash.amf.AmfException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command message (RFC 7425 §5.1.1; spec §6.5):
 * {@code name || transaction ID || command object || arguments...}, each an AMF value. The
 * command object is {@code null} except in {@code connect}, where it is the connect object. A
 * transaction ID above 0 asks for a {@code _result} or {@code _error} with the same ID.
 *
 * @param arguments kept as an unmodifiable copy; elements may be {@code null}
 */
public record Command(String name, double transactionId, Object commandObject, List<Object> arguments) {
    public static final String RESULT = "_result";
    public static final String ERROR = "_error";
    public static final String ON_STATUS = "onStatus";
    public static final String CONNECT = "connect";
    /** A client's local addresses, for the server's introductions (spec §6.6 step 3). */
    public static final String SET_PEER_INFO = "setPeerInfo";
    public static final String CREATE_STREAM = "createStream";
    public static final String DELETE_STREAM = "deleteStream";
    /** rtmfp4j's presence service: who a nickname or peer ID is (docs/server.md). */
    public static final String LOOKUP = "lookup";
    /** rtmfp4j's relay (docs/nat.md): a client asks for one towards a peer it cannot reach directly. */
    public static final String RELAY = "relay";
    /** The server tells a client that a peer asked for a relay towards it: its port and token. */
    public static final String ON_RELAY = "onRelay";
    /** The server tells both peers of a relay that both ends are bound. */
    public static final String ON_RELAY_READY = "onRelayReady";
    public static final String PUBLISH = "publish";
    public static final String PLAY = "play";
    public static final String CLOSE_STREAM = "closeStream";
    public static final String PAUSE = "pause";
    public static final String SEEK = "seek";
    public static final String RECEIVE_AUDIO = "receiveAudio";
    public static final String RECEIVE_VIDEO = "receiveVideo";

    public Command {
        Objects.requireNonNull(name, "name");
        arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    /** A command with a {@code null} command object, as every command but {@code connect} has. */
    public static Command call(String name, double transactionId, Object... arguments) {
        return new Command(name, transactionId, null, Arrays.asList(arguments));
    }

    /** The success answer to transaction {@code transactionId}: {@code "_result", tid, properties, info}. */
    public static Command result(double transactionId, Object properties, Object info) {
        return new Command(RESULT, transactionId, properties, Collections.singletonList(info));
    }

    /** The failure answer to transaction {@code transactionId}: {@code "_error", tid, properties, info}. */
    public static Command error(double transactionId, Object properties, Object info) {
        return new Command(ERROR, transactionId, properties, Collections.singletonList(info));
    }

    /**
     * {@code connect} as a Flash client sends it (spec §6.6): transaction 1, the connect object
     * {@code {app, tcUrl, objectEncoding}}, then any extra arguments (credentials, say).
     */
    public static Command connect(String tcUrl, double objectEncoding, Object... extraArguments) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("app", appOf(tcUrl));
        object.put("tcUrl", tcUrl);
        object.put("objectEncoding", objectEncoding);
        return new Command(CONNECT, 1, object, Arrays.asList(extraArguments));
    }

    /**
     * The app a tcUrl names: its path without the leading '/' ({@code rtmfp://host/app/inst}
     * gives {@code app/inst}), or "" when it has none. Servers use it when a connect object
     * carries no {@code app} (spec §6.6).
     */
    public static String appOf(String tcUrl) {
        int scheme = tcUrl.indexOf("://");
        int path = scheme < 0 ? -1 : tcUrl.indexOf('/', scheme + 3);
        return path < 0 ? "" : tcUrl.substring(path + 1);
    }

    /** A status event, {@code "onStatus", 0, null, info}; see {@link Status#info}. */
    public static Command onStatus(Map<String, Object> info) {
        return call(ON_STATUS, 0, info);
    }

    /**
     * The info object of an {@code onStatus}: its first argument, after the null command object
     * as Flash sends it; or, when there are no arguments, the command object itself, since
     * librtmfp sends {@code "onStatus", 0, info} without the null. Null when there is neither.
     */
    public Object statusInfo() {
        return arguments.isEmpty() ? commandObject : arguments.get(0);
    }

    /**
     * This command as a plain AMF0 command message (type 0x14, timestamp 0), which every
     * implementation accepts (spec §6.5).
     */
    public TcMessage toMessage() {
        Amf0Writer w = new Amf0Writer();
        w.writeValue(name).writeValue(transactionId).writeValue(commandObject);
        for (Object argument : arguments) {
            w.writeValue(argument);
        }
        return new TcMessage(TcMessage.COMMAND_AMF0, 0, w.toByteArray());
    }

    /**
     * Reads a command message of type 0x14, or 0x11 with format byte 0. A message that ends after
     * the transaction ID has a {@code null} command object and no arguments. The command object
     * is taken as it stands: librtmfp leaves it out of some commands (spec §8 P31), which only
     * the receiver of that command can tell.
     */
    public static Command decode(TcMessage message) {
        List<Object> values = message.amfValues(TcMessage.COMMAND_AMF0, TcMessage.COMMAND_AMF3, "command");
        if (values.size() < 2) {
            throw new AmfException("command without a name and a transaction ID");
        }
        if (!(values.get(0) instanceof String name)) {
            throw new AmfException("command name is not a string: " + typeOf(values.get(0)));
        }
        if (!(values.get(1) instanceof Number transactionId)) {
            throw new AmfException("transaction ID of '" + name + "' is not a number: " + typeOf(values.get(1)));
        }
        Object commandObject = values.size() > 2 ? values.get(2) : null;
        List<Object> arguments = values.size() > 3 ? values.subList(3, values.size()) : List.of();
        return new Command(name, transactionId.doubleValue(), commandObject, arguments);
    }

    private static String typeOf(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
