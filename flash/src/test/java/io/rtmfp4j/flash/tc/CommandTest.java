package io.rtmfp4j.flash.tc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.amf.AmfException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command messages (spec §6.5, §6.6, §6.10). */
class CommandTest {

    /** The TC message of spec §6.10's worked example. */
    private static final String CONNECT = "14 00000000 02 0007 636f6e6e656374 00 3ff0000000000000"
            + " 03 0003 617070 02 0004 6c697665 000009";

    private static Command decode(String hex) {
        return Command.decode(TcMessage.decode(Hex.decode(hex)));
    }

    @Test
    void connectCarriesTheAppTheTcUrlNamesAndTheExtraArguments() {
        Command c = Command.connect("rtmfp://host:1935/app/room?x=1", 3.0, "token");

        assertThat(c.name()).isEqualTo("connect");
        assertThat(c.transactionId()).isEqualTo(1.0);
        assertThat(c.commandObject()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class)).containsEntry("app", "app/room?x=1")
                .containsEntry("tcUrl", "rtmfp://host:1935/app/room?x=1").containsEntry("objectEncoding", 3.0);
        assertThat(c.arguments()).containsExactly("token");
        assertThat(Command.decode(c.toMessage())).isEqualTo(c);
    }

    @Test
    void statusInfoIsTheFirstArgumentOrWithoutOneTheCommandObject() {
        Map<String, Object> info = Status.info(Status.LEVEL_STATUS, Status.PLAY_START, "started");
        assertThat(Command.decode(Command.onStatus(info).toMessage()).statusInfo()).isEqualTo(info);
        // librtmfp's publisher (P2PSession::handlePlay, writeAMFStatus), as captured from its TestClient:
        // "onStatus", 0, {level, code, description} with no null before the info object.
        Command librtmfp = decode("14 00000000 02 0008 6f6e537461747573 00 0000000000000000"
                + " 03 0005 6c6576656c 02 0006 737461747573 0004 636f6465 02 0014 4e657453747265616d2e506c61792e5374617274"
                + " 000b 6465736372697074696f6e 02 0002 6f6b 000009");
        assertThat(librtmfp.arguments()).isEmpty();
        assertThat(librtmfp.statusInfo()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.map(String.class,
                Object.class)).containsEntry("code", Status.PLAY_START).containsEntry("level", "status");
        assertThat(Command.call(Command.ON_STATUS, 0).statusInfo()).isNull();
    }

    @Test
    void appOfATcUrlWithoutAPathIsEmpty() {
        assertThat(Command.appOf("rtmfp://host")).isEmpty();
        assertThat(Command.appOf("rtmfp://host/")).isEmpty();
        assertThat(Command.appOf("not a url")).isEmpty();
        assertThat(Command.appOf("rtmfp://host/live")).isEqualTo("live");
    }

    @Test
    void connectOfTheWorkedExample() {
        Command connect = new Command("connect", 1.0, Map.of("app", "live"), List.of());
        assertThat(decode(CONNECT)).isEqualTo(connect);
        assertThat(connect.toMessage().encode()).isEqualTo(Hex.decode(CONNECT));
    }

    @Test
    void commandsWithoutACommandObjectWriteNull() {
        Command createStream = Command.call("createStream", 2);
        assertThat(createStream.toMessage().encode()).isEqualTo(Hex.decode(
                "14 00000000 02 000c 63726561746553747265616d 00 4000000000000000 05"));
        assertThat(Command.decode(createStream.toMessage())).isEqualTo(createStream);
    }

    @Test
    void resultAndError() {
        Map<String, Object> info = Status.info(Status.LEVEL_STATUS, Status.CONNECT_SUCCESS, "ok");
        Command result = Command.result(1, null, info);
        assertThat(result).isEqualTo(new Command("_result", 1, null, List.of(info)));
        assertThat(Command.decode(result.toMessage())).isEqualTo(result);

        Command error = Command.error(3, null, Status.info(Status.LEVEL_ERROR, Status.CALL_FAILED, "no"));
        assertThat(error.name()).isEqualTo(Command.ERROR);
        assertThat(Command.decode(error.toMessage())).isEqualTo(error);

        assertThat(Command.decode(Command.result(4, null, 1.0).toMessage()).arguments()).containsExactly(1.0);
    }

    @Test
    void onStatusIsNotATransaction() {
        Map<String, Object> info = Status.info(Status.LEVEL_STATUS, Status.PUBLISH_START, "go");
        Command status = Command.onStatus(info);
        assertThat(status).isEqualTo(new Command("onStatus", 0, null, List.of(info)));
        assertThat(status.toMessage().encode()).startsWith(Hex.decode(
                "14 00000000 02 0008 6f6e537461747573 00 0000000000000000 05 03 0005 6c6576656c 02 0006 737461747573"));
    }

    @Test
    void amf3CommandsHaveAFormatByte() {
        byte[] amf0 = TcMessage.decode(Hex.decode(CONNECT)).payload();
        byte[] amf3 = new byte[amf0.length + 1];
        System.arraycopy(amf0, 0, amf3, 1, amf0.length);
        TcMessage message = new TcMessage(TcMessage.COMMAND_AMF3, 0, amf3);
        assertThat(Command.decode(message)).isEqualTo(new Command("connect", 1.0, Map.of("app", "live"), List.of()));

        amf3[0] = 1;
        assertThatThrownBy(() -> Command.decode(message)).isInstanceOf(AmfException.class).hasMessageContaining("format 1");
        assertThatThrownBy(() -> Command.decode(new TcMessage(TcMessage.COMMAND_AMF3, 0, new byte[0])))
                .isInstanceOf(AmfException.class);
    }

    /** librtmfp writes the arguments after {@code name, tid, null} as AMF3 values (spec §6.5). */
    @Test
    void argumentsMayBeEmbeddedAmf3() {
        Command play = decode("14 00000000 02 0004 706c6179 00 0000000000000000 05 11 06 09 6e616d65 11 04 05");
        assertThat(play).isEqualTo(new Command("play", 0, null, List.of("name", 5)));
    }

    @Test
    void argumentsMayBeNull() {
        Command call = Command.call("f", 0, null, "x");
        assertThat(call.arguments()).isEqualTo(Arrays.asList(null, "x"));
        assertThat(Command.decode(call.toMessage())).isEqualTo(call);
        assertThatThrownBy(() -> call.arguments().add("y")).isInstanceOf(UnsupportedOperationException.class);
    }

    /** librtmfp leaves out the command object (spec §8 P31); what is there is reported as it stands. */
    @Test
    void shortCommandsAreReadAsTheyStand() {
        assertThat(decode("14 00000000 02 0001 66 00 0000000000000000"))
                .isEqualTo(new Command("f", 0, null, List.of()));
        assertThat(decode("14 00000000 02 000b 7365745065657249 6e666f 00 0000000000000000 02 0001 61"))
                .isEqualTo(new Command("setPeerInfo", 0, "a", List.of()));
    }

    @Test
    void malformedCommandsAreRejected() {
        assertThatThrownBy(() -> decode("14 00000000")).isInstanceOf(AmfException.class);
        assertThatThrownBy(() -> decode("14 00000000 02 0001 66")).isInstanceOf(AmfException.class);
        assertThatThrownBy(() -> decode("14 00000000 05 00 0000000000000000")).isInstanceOf(AmfException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> decode("14 00000000 02 0001 66 05")).isInstanceOf(AmfException.class)
                .hasMessageContaining("transaction ID");
        assertThatThrownBy(() -> decode("12 00000000 02 0001 66 00 0000000000000000"))
                .isInstanceOf(AmfException.class).hasMessageContaining("not a command");
    }

    @Test
    void connectObjectKeepsItsOrder() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("app", "live");
        object.put("tcUrl", "rtmfp://host/live");
        object.put("objectEncoding", 3.0);
        Command connect = new Command("connect", 1, object, List.of("token"));
        Map<?, ?> decoded = (Map<?, ?>) Command.decode(connect.toMessage()).commandObject();
        assertThat(List.copyOf(decoded.keySet())).isEqualTo(List.of("app", "tcUrl", "objectEncoding"));
    }
}
