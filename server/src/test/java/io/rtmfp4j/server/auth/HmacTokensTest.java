package io.rtmfp4j.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HmacTokensTest {
    static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);
    static final byte[] SERVER_NONCE = new byte[32];
    static final byte[] CLIENT_NONCE = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            SERVER_NONCE[i] = (byte) i;
            CLIENT_NONCE[i] = (byte) (100 + i);
        }
    }

    final HmacTokens auth = new HmacTokens(List.of("old".getBytes(StandardCharsets.UTF_8), SECRET));

    static ConnectRequest request(String app, Object... args) {
        return new ConnectRequest(app, "rtmfp://host/" + app, List.of(args), SERVER_NONCE, CLIENT_NONCE);
    }

    @Test
    void theAppTokenIsTheHexHmacOfTheAppName() {
        // Independently computed: printf 'live' | openssl dgst -sha256 -hmac s3cret
        assertThat(HmacTokens.token(SECRET, "live", null))
                .isEqualTo("49ddaf05419fa20fdb9d4db236f547701997f1201ceb2c11e5516559f1d53815");
        AuthDecision d = auth.authenticate(request("live", HmacTokens.token(SECRET, "live", null)));
        assertThat(d.accepted()).isTrue();
        assertThat(d.resultProperties()).containsEntry("authToken",
                HmacTokens.hexHmac(CLIENT_NONCE, HmacTokens.token(SECRET, "live", null)));
    }

    @Test
    void userTokensBindTheUserAndTheApp() {
        String token = HmacTokens.token(SECRET, "live", "alice");
        assertThat(auth.authenticate(request("live", "alice", token)).user()).isEqualTo("alice");
        assertThat(auth.authenticate(request("live", "bob", token)).accepted()).isFalse();
        assertThat(auth.authenticate(request("other", "alice", token)).accepted()).isFalse();
    }

    @Test
    void aTrailingNullArgumentIsNotMistakenForAToken() {
        String token = HmacTokens.token(SECRET, "live", null);
        assertThat(auth.authenticate(new ConnectRequest("live", "", java.util.Arrays.asList(token, null),
                SERVER_NONCE, CLIENT_NONCE)).accepted()).isTrue();
    }

    @Test
    void aNonceProofIsAcceptedWithoutTheTokenItself() {
        String proof = HmacTokens.hexHmac(SERVER_NONCE, HmacTokens.token(SECRET, "live", null));
        assertThat(auth.authenticate(request("live", proof)).accepted()).isTrue();
    }

    @Test
    void anyConfiguredSecretWorksAndUppercaseHexToo() {
        byte[] old = "old".getBytes(StandardCharsets.UTF_8);
        assertThat(auth.authenticate(request("live", HmacTokens.token(old, "live", null))).accepted()).isTrue();
        assertThat(auth.authenticate(request("live", HmacTokens.token(SECRET, "live", null).toUpperCase()))
                .accepted()).isTrue();
    }

    @Test
    void wrongOrMissingTokensAreRejectedWithAReason() {
        assertThat(auth.authenticate(request("live")).description()).contains("auth required");
        assertThat(auth.authenticate(request("live", 42.0)).accepted()).isFalse();
        AuthDecision d = auth.authenticate(request("live", HmacTokens.token("nope".getBytes(), "live", null)));
        assertThat(d.accepted()).isFalse();
        assertThat(d.description()).contains("bad token");
    }
}
