package io.rtmfp4j.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RHello cookies (RFC 7016 §3.5.1.2), including the per-second cache of the time MAC. */
class CookieJarTest {
    private static final long SECOND = 1_000_000;
    private static final long LIFETIME = 30 * SECOND;
    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 1935);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 1935);

    private final CookieJar jar = new CookieJar(new SecureRandom(), LIFETIME);

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {CookieJar.SHORT_LENGTH, CookieJar.LIBRTMFP_LENGTH})
    void aCookieIsAcceptedFromItsAddressAndRecognisedFromAnother(int length) {
        byte[] cookie = jar.mint(A, 100 * SECOND, length);
        assertThat(cookie).hasSize(length);
        assertThat(jar.check(cookie, A, 101 * SECOND)).isEqualTo(CookieJar.Check.OK);
        assertThat(jar.check(cookie, B, 101 * SECOND)).isEqualTo(CookieJar.Check.MISMATCH);
    }

    @Test
    void cookiesOfEarlierSecondsStillCheckAfterTheCachedSecondMovedOn() {
        byte[] early = jar.mint(A, 100 * SECOND, CookieJar.LIBRTMFP_LENGTH);
        byte[] later = jar.mint(A, 105 * SECOND, CookieJar.SHORT_LENGTH);
        byte[] again = jar.mint(B, 100 * SECOND + 500_000, CookieJar.SHORT_LENGTH);
        assertThat(jar.check(early, A, 106 * SECOND)).isEqualTo(CookieJar.Check.OK);
        assertThat(jar.check(later, A, 106 * SECOND)).isEqualTo(CookieJar.Check.OK);
        assertThat(jar.check(again, B, 106 * SECOND)).isEqualTo(CookieJar.Check.OK);
        assertThat(jar.check(early, A, 107 * SECOND)).isEqualTo(CookieJar.Check.OK);
    }

    @Test
    void cookiesMintedInTheSameSecondShareTheTimeMacButNotTheAddressMac() {
        byte[] a = jar.mint(A, 100 * SECOND, CookieJar.LIBRTMFP_LENGTH);
        byte[] b = jar.mint(B, 100 * SECOND + 999_999, CookieJar.LIBRTMFP_LENGTH);
        assertThat(Arrays.copyOfRange(a, 0, 32)).isEqualTo(Arrays.copyOfRange(b, 0, 32));
        assertThat(Arrays.copyOfRange(a, 32, 64)).isNotEqualTo(Arrays.copyOfRange(b, 32, 64));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {CookieJar.SHORT_LENGTH, CookieJar.LIBRTMFP_LENGTH})
    void aTamperedTimeMacIsRefusedEvenWhileItsSecondIsCached(int length) {
        byte[] cookie = jar.mint(A, 100 * SECOND, length);
        cookie[5] ^= 1;
        assertThat(jar.check(cookie, A, 100 * SECOND)).isEqualTo(CookieJar.Check.BAD);
        byte[] untouched = jar.mint(A, 100 * SECOND, length);
        assertThat(jar.check(untouched, A, 100 * SECOND)).isEqualTo(CookieJar.Check.OK);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {CookieJar.SHORT_LENGTH, CookieJar.LIBRTMFP_LENGTH})
    void aCookieWithAnotherTimeIsRefused(int length) {
        byte[] cookie = jar.mint(A, 100 * SECOND, length);
        cookie[3] ^= 1;
        assertThat(jar.check(cookie, A, 101 * SECOND)).isEqualTo(CookieJar.Check.BAD);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {CookieJar.SHORT_LENGTH, CookieJar.LIBRTMFP_LENGTH})
    void expiredForeignAndTruncatedCookiesAreRefused(int length) {
        byte[] cookie = jar.mint(A, 100 * SECOND, length);
        assertThat(jar.check(cookie, A, 100 * SECOND + LIFETIME + 1)).isEqualTo(CookieJar.Check.BAD);
        byte[] foreign = new CookieJar(new SecureRandom(), LIFETIME).mint(A, 100 * SECOND, length);
        assertThat(jar.check(foreign, A, 100 * SECOND)).isEqualTo(CookieJar.Check.BAD);
        assertThat(jar.check(Arrays.copyOf(cookie, length - 1), A, 100 * SECOND)).isEqualTo(CookieJar.Check.BAD);
        assertThat(jar.check(Arrays.copyOf(cookie, length + 1), A, 100 * SECOND)).isEqualTo(CookieJar.Check.BAD);
    }

    @Test
    void librtmfpGetsTheCookieLengthItRequiresAndEveryoneElseTheShortOne() {
        // librtmfp: the URI's path alone as ancillary data; any peer may be librtmfp.
        assertThat(CookieJar.lengthFor(ancillary("test"))).isEqualTo(CookieJar.LIBRTMFP_LENGTH);
        assertThat(CookieJar.lengthFor(ancillary(""))).isEqualTo(CookieJar.LIBRTMFP_LENGTH);
        assertThat(CookieJar.lengthFor(EndpointDiscriminator.forPeer(new byte[32])))
                .isEqualTo(CookieJar.LIBRTMFP_LENGTH);
        // Flash Player, rtmfp-cpp and rtmfp4j: the whole URI, whatever the case of its scheme; or a host name.
        assertThat(CookieJar.lengthFor(ancillary("rtmfp://host/app"))).isEqualTo(CookieJar.SHORT_LENGTH);
        assertThat(CookieJar.lengthFor(ancillary("RTMFP://host/app"))).isEqualTo(CookieJar.SHORT_LENGTH);
        assertThat(CookieJar.lengthFor(new EndpointDiscriminator(Optional.of("host"), Optional.empty(),
                Optional.empty()))).isEqualTo(CookieJar.SHORT_LENGTH);
    }

    private static EndpointDiscriminator ancillary(String text) {
        return new EndpointDiscriminator(Optional.empty(), Optional.of(text.getBytes(StandardCharsets.UTF_8)),
                Optional.empty());
    }
}
