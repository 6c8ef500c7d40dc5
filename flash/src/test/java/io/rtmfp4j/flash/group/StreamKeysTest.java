package io.rtmfp4j.flash.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamKeysTest {
    static final GroupSpecifier GUARDED = new GroupSpecifier("g").setMulticastEnabled(true)
            .setPublishPassword("pw", "s");
    final Random random = new Random(7);
    final PasswordAuthority holder = PasswordAuthority.publishing(GroupSpec.parse(GUARDED.groupspecWithAuthorizations()));
    final PasswordAuthority reader = PasswordAuthority.publishing(
            GroupSpec.parse(GUARDED.groupspecWithoutAuthorizations()));

    @Test
    void aHolderMakesKeysThatOtherHoldersAcceptForThatNameOnly() {
        PasswordAuthority other = PasswordAuthority.publishing(GroupSpec.parse(GUARDED.groupspecWithAuthorizations()));
        byte[] key = StreamKeys.make(holder, "live", random);
        assertThat(key).hasSize(32);
        assertThat(StreamKeys.accepts(other, "live", key)).isTrue();
        assertThat(StreamKeys.accepts(other, "live2", key)).as("announced under another name").isFalse();
        byte[] tampered = key.clone();
        tampered[3] ^= 1;
        assertThat(StreamKeys.accepts(other, "live", tampered)).as("another nonce").isFalse();
        assertThat(StreamKeys.accepts(other, "live", new byte[31])).isFalse();
    }

    @Test
    void aKeyWithoutTheProofIsRefusedByHoldersAndTakenByThoseWhoCannotCheck() {
        byte[] random32 = StreamKeys.make(reader, "live", random);
        assertThat(reader.permits()).isFalse();
        assertThat(StreamKeys.accepts(holder, "live", random32)).isFalse();
        assertThat(StreamKeys.accepts(reader, "live", random32)).isTrue();
    }

    @Test
    void withoutAPublishPasswordEveryKeyIsRandomAndAccepted() {
        PasswordAuthority open = PasswordAuthority.publishing(GroupSpec.parse(
                new GroupSpecifier("g").setMulticastEnabled(true).groupspecWithAuthorizations()));
        assertThat(open.permits()).isTrue();
        byte[] a = StreamKeys.make(open, "live", random);
        assertThat(StreamKeys.accepts(open, "live", a)).isTrue();
        assertThat(StreamKeys.make(open, "live", random)).isNotEqualTo(a);
    }
}
