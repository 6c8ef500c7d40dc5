package io.rtmfp4j.flash.group.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.DhKeyPair;
import io.rtmfp4j.core.crypto.SessionKeys;
import io.rtmfp4j.core.crypto.Sha256;
import io.rtmfp4j.flash.group.GroupSpec;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The group connect keys of netgroup spec §5.1. */
class GroupKeyTest {
    static final GroupSpec GROUP = GroupSpec.parse("G:027f0201010103010c050e74657374011b00");

    /** librtmfp's P2PSession::buildGroupKey, written out: the oracle GroupKey must agree with. */
    private static byte[] librtmfpKey(String groupspecText, byte[] secret, byte[] nonce) throws Exception {
        return hmac(groupspecText.getBytes(StandardCharsets.US_ASCII), hmac(secret, nonce));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void eachEndSendsWhatTheOtherExpects() throws Exception {
        Random r = new Random(7);
        byte[] secret = random(r, 128);
        byte[] skic = random(r, 76);
        byte[] skrc = random(r, 73);
        GroupKey initiator = GroupKey.of(GROUP, SessionKeys.derive(secret, skic, skrc));
        GroupKey responder = GroupKey.of(GROUP, SessionKeys.derive(secret, skrc, skic));

        assertThat(initiator.connectKey()).isEqualTo(responder.expectedKey());
        assertThat(responder.connectKey()).isEqualTo(initiator.expectedKey());
        assertThat(responder.accepts(initiator.connectKey())).isTrue();
        assertThat(initiator.accepts(initiator.connectKey())).isFalse();
        // The initiator's key is built on the far (responder's) keying component, as librtmfp does.
        String text = GROUP.identityText();
        assertThat(initiator.connectKey()).isEqualTo(librtmfpKey(text, secret, skrc));
        assertThat(initiator.expectedKey()).isEqualTo(librtmfpKey(text, secret, skic));
    }

    @Test
    void theKeyDependsOnTheGroupAndTheSession() {
        Random r = new Random(8);
        byte[] secret = random(r, 128);
        byte[] skic = random(r, 76);
        byte[] skrc = random(r, 73);
        SessionKeys keys = SessionKeys.derive(secret, skic, skrc);
        GroupKey k = GroupKey.of(GROUP, keys);
        GroupSpec other = GroupSpec.parse("G:027f0201010103010c050e74657375011b00");
        assertThat(GroupKey.of(other, keys)).isNotEqualTo(k);
        // Authorizations are not part of groupspecText, so they do not change the key.
        assertThat(GroupKey.of(GroupSpec.parse(GROUP.text() + "021578"), keys)).isEqualTo(k);
        skrc[5] ^= 1;
        assertThat(GroupKey.of(GROUP, SessionKeys.derive(secret, skic, skrc)).connectKey()).isNotEqualTo(k.connectKey());
        assertThat(k.toString()).isEqualTo("GroupKey[redacted]");
    }

    /**
     * Spec §5.1's corner case: a shared secret below 2^1016 is 127 bytes as the core computes it,
     * as OpenSSL's DH_compute_key gives it to librtmfp; the group key must use that same string,
     * not one padded back to 128 bytes.
     */
    @Test
    void aSecretWithALeadingZeroByteKeysAsTheSessionDoes() throws Exception {
        DhKeyPair a = DhKeyPair.fromPrivateKey(DhGroup.GROUP_2, Sha256.digest(new byte[] {1}));
        DhKeyPair b = null;
        byte[] secret = null;
        for (int i = 0; secret == null || secret.length == 128; i++) {
            b = DhKeyPair.fromPrivateKey(DhGroup.GROUP_2, Sha256.digest(new byte[] {2, (byte) i, (byte) (i >> 8)}));
            secret = a.agree(b.publicKey());
        }
        assertThat(secret).hasSizeLessThan(128);
        assertThat(b.agree(a.publicKey())).isEqualTo(secret);
        Random r = new Random(9);
        byte[] skic = random(r, 76);
        byte[] skrc = random(r, 73);
        GroupKey initiator = GroupKey.of(GROUP, SessionKeys.derive(a.agree(b.publicKey()), skic, skrc));
        GroupKey responder = GroupKey.of(GROUP, SessionKeys.derive(b.agree(a.publicKey()), skrc, skic));
        assertThat(responder.accepts(initiator.connectKey())).isTrue();
        assertThat(initiator.connectKey()).isEqualTo(librtmfpKey(GROUP.identityText(), secret, skrc));
        byte[] padded = new byte[128];
        System.arraycopy(secret, 0, padded, 128 - secret.length, secret.length);
        assertThat(initiator.connectKey()).isNotEqualTo(librtmfpKey(GROUP.identityText(), padded, skrc));
    }
}
