package io.rtmfp4j.core.crypto;

import static io.rtmfp4j.core.crypto.TestVectors.B2_SECRET;
import static io.rtmfp4j.core.crypto.TestVectors.B2_SKIC;
import static io.rtmfp4j.core.crypto.TestVectors.B2_SKRC;
import static io.rtmfp4j.core.crypto.TestVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionKeysTest {
    @Test
    void appendixB2() {
        assertThat(B2_SKIC).hasSize(76);
        assertThat(B2_SKRC).hasSize(139);
        SessionKeys i = SessionKeys.derive(B2_SECRET, B2_SKIC, B2_SKRC);
        SessionKeys r = SessionKeys.derive(B2_SECRET, B2_SKRC, B2_SKIC);
        assertThat(i.encryptKey()).isEqualTo(hex("f9d7ea0a445b5b30e5457934a1707971"));
        assertThat(i.decryptKey()).isEqualTo(hex("d86920b7da0393e394708c3780e9941a"));
        assertThat(i.txHmacKey()).isEqualTo(hex("4dec37fa8f84281acd5a02cb0645d82939a55f8d8eeb05a6cd27990a703f1d21"));
        assertThat(i.rxHmacKey()).isEqualTo(hex("aaf1e835756815d8071916e5259fcb6b63f0be46e17342a9a51bbe039a390855"));
        assertThat(i.nearNonce()).isEqualTo(hex("cec4bd7c1d77c051cabcf0e51058f55a0dc5e0d14246f99fe1fc328c6befd140"));
        assertThat(r.nearNonce()).isEqualTo(hex("f4becbf407ad9b639753f1c7a2c2eb7c0721d9887dcca57643d092385a9f3d93"));
        // Mirrored at the responder.
        assertThat(r.decryptKey()).isEqualTo(i.encryptKey());
        assertThat(r.encryptKey()).isEqualTo(i.decryptKey());
        assertThat(r.rxHmacKey()).isEqualTo(i.txHmacKey());
        assertThat(r.txHmacKey()).isEqualTo(i.rxHmacKey());
        assertThat(r.farNonce()).isEqualTo(i.nearNonce());
        assertThat(i.farNonce()).isEqualTo(r.nearNonce());
    }

    @Test
    void equalityByContentAndKeysNeverPrinted() {
        SessionKeys a = SessionKeys.derive(B2_SECRET, B2_SKIC, B2_SKRC);
        SessionKeys b = SessionKeys.derive(B2_SECRET.clone(), B2_SKIC.clone(), B2_SKRC.clone());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(SessionKeys.derive(B2_SECRET, B2_SKRC, B2_SKIC));
        assertThat(a.toString()).doesNotContain("f9d7ea0a").contains("cec4bd7c");
    }
}
