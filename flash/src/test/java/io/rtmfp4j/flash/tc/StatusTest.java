package io.rtmfp4j.flash.tc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusTest {

    @Test
    void infoObjectsListLevelCodeAndDescriptionInOrder() {
        Map<String, Object> info = Status.info(Status.LEVEL_ERROR, Status.CONNECT_REJECTED, "bad token");
        assertThat(info.keySet()).containsExactly("level", "code", "description");
        assertThat(info).containsEntry("level", "error").containsEntry("code", "NetConnection.Connect.Rejected");
        info.put("objectEncoding", 0.0);
        assertThat(info).hasSize(4);
    }

    @Test
    void codesAreFlashStrings() {
        assertThat(Status.CONNECT_SUCCESS).isEqualTo("NetConnection.Connect.Success");
        assertThat(Status.PLAY_UNPUBLISH_NOTIFY).isEqualTo("NetStream.Play.UnpublishNotify");
        assertThat(Status.STREAM_CONNECT_SUCCESS).isEqualTo("NetStream.Connect.Success");
    }
}
