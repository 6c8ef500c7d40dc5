package io.rtmfp4j.flash.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.Hex;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class GroupAddressTest {
    static final String VECTOR = "b899a498e581c1b05a163df2329c20db35411de8eeeed68e12ecdc2ba9e15ebc";

    private static byte[] zeroToThirtyOne() {
        byte[] id = new byte[32];
        for (int i = 0; i < 32; i++) {
            id[i] = (byte) i;
        }
        return id;
    }

    @Test
    void matchesTheSpecVector() {
        // netgroup spec §2.3: peer ID 00 01 … 1f.
        assertThat(GroupAddress.ofPeer(zeroToThirtyOne()).hex()).isEqualTo(VECTOR);
        assertThat(GroupAddress.ofPeer(Hex.encode(zeroToThirtyOne())).toString()).isEqualTo(VECTOR);
        assertThat(GroupAddress.ofPeer(Hex.encode(zeroToThirtyOne()).toUpperCase(Locale.ROOT)).hex()).isEqualTo(VECTOR);
    }

    @Test
    void parsesEitherCaseAndPrintsLowercase() {
        GroupAddress a = GroupAddress.parse(VECTOR.toUpperCase(Locale.ROOT));
        assertThat(a).isEqualTo(GroupAddress.parse(VECTOR));
        assertThat(a.hex()).isEqualTo(VECTOR);
    }

    @Test
    void rejectsWhatIsNotSixtyFourHexDigits() {
        for (String bad : new String[] {"", VECTOR.substring(1), VECTOR + "0", "g" + VECTOR.substring(1),
                " " + VECTOR.substring(1), "٣" + VECTOR.substring(1)}) {
            assertThatThrownBy(() -> GroupAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> GroupAddress.ofPeer(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new GroupAddress(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GroupAddress.ofPeer(new byte[33])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesAreCopiedInAndOut() {
        byte[] b = zeroToThirtyOne();
        GroupAddress a = new GroupAddress(b);
        b[0] = 9;
        a.bytes()[1] = 9;
        assertThat(a.bytes()).isEqualTo(zeroToThirtyOne());
    }

    /** The ring order is the unsigned order of the bytes, which is the order of the lowercase hex. */
    @Property
    void orderIsTheOrderOfTheHex(@ForAll @Size(32) byte[] x, @ForAll @Size(32) byte[] y) {
        GroupAddress a = new GroupAddress(x);
        GroupAddress b = new GroupAddress(y);
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(a.hex().compareTo(b.hex())));
        assertThat(a.equals(b)).isEqualTo(a.compareTo(b) == 0);
        assertThat(GroupAddress.parse(a.hex())).isEqualTo(a);
    }
}
