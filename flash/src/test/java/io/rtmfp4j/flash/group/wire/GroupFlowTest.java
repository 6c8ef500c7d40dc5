package io.rtmfp4j.flash.group.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.wire.Hex;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Flow metadata of netgroup spec §1 and §16. */
class GroupFlowTest {

    @Test
    void metadataBytes() {
        assertThat(Hex.encode(GroupFlow.SERVER_CHANNEL.metadata())).isEqualTo("4743");
        assertThat(Hex.encode(GroupFlow.REPORT.metadata())).isEqualTo("47521c");
        assertThat(Hex.encode(GroupFlow.MESSAGE.metadata())).isEqualTo("47521d");
        assertThat(Hex.encode(GroupFlow.MEDIA_REPORT.metadata())).isEqualTo("475211");
        assertThat(Hex.encode(GroupFlow.MEDIA.metadata())).isEqualTo("475212");
        assertThat(Hex.encode(GroupFlow.POSTING_KEYS.metadata())).isEqualTo("475218");
        assertThat(Hex.encode(GroupFlow.POSTING_VALUES.metadata())).isEqualTo("475219");
        assertThat(Hex.encode(GroupFlow.PRIVATE_POSTING.metadata())).isEqualTo("4752f0");
        assertThat(Hex.encode(GroupFlow.PRIVATE_ROUTING.metadata())).isEqualTo("4752f1");
        assertThat(Hex.encode(GroupFlow.PRIVATE_REPLICATION.metadata())).isEqualTo("4752f2");
        assertThat(GroupChannel.METADATA).isEqualTo(GroupFlow.SERVER_CHANNEL.metadata());
    }

    @Test
    void kindByPrefixAsLibrtmfpCompares() {
        for (GroupFlow f : GroupFlow.values()) {
            assertThat(GroupFlow.kindOf(f.metadata())).contains(f);
            byte[] longer = Arrays.copyOf(f.metadata(), f.metadata().length + 2);
            assertThat(GroupFlow.kindOf(longer)).contains(f);
        }
        for (String other : new String[] {"", "47", "4752", "47521e", "5443040", "544304fa8901", "4752"}) {
            assertThat(GroupFlow.kindOf(Hex.decode(other.length() % 2 == 0 ? other : other + "0"))).as(other).isEmpty();
        }
    }

    @Test
    void metadataIsCopied() {
        GroupFlow.REPORT.metadata()[0] = 0;
        assertThat(GroupFlow.REPORT.metadata()[0]).isEqualTo((byte) 0x47);
    }
}
