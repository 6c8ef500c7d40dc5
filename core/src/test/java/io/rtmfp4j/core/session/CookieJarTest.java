package io.rtmfp4j.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RHello cookies (RFC 7016 §3.5.1.2), including the per-second cache of the time MAC. */
class CookieJarTest {
    private static final long SECOND = 1_000_000;
    private static final long LIFETIME = 30 * SECOND;
    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 1935);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 1935);

    private final CookieJar jar = new CookieJar(new SecureRandom(), LIFETIME);

    @Test
    void aCookieIsAcceptedFromItsAddressAndRecognisedFromAnother() {
        byte[] cookie = jar.mint(A, 100 * SECOND);
        assertThat(cookie).hasSize(CookieJar.COOKIE_LENGTH);
        assertThat(jar.check(cookie, A, 101 * SECOND)).isEqualTo(CookieJar.Check.OK);
        assertThat(jar.check(cookie, B, 101 * SECOND)).isEqualTo(CookieJar.Check.MISMATCH);
    }

    @Test
    void cookiesOfEarlierSecondsStillCheckAfterTheCachedSecondMovedOn() {
        byte[] early = jar.mint(A, 100 * SECOND);
        byte[] later = jar.mint(A, 105 * SECOND);
        byte[] again = jar.mint(B, 100 * SECOND + 500_000);
        assertThat(jar.check(early, A, 106 * SECOND)).isEqualTo(CookieJar.Check.OK);
        assertThat(jar.check(later, A, 106 * SECOND)).isEqualTo(CookieJar.Check.OK);
        assertThat(jar.check(again, B, 106 * SECOND)).isEqualTo(CookieJar.Check.OK);
        assertThat(jar.check(early, A, 107 * SECOND)).isEqualTo(CookieJar.Check.OK);
    }

    @Test
    void cookiesMintedInTheSameSecondShareTheTimeMacButNotTheAddressMac() {
        byte[] a = jar.mint(A, 100 * SECOND);
        byte[] b = jar.mint(B, 100 * SECOND + 999_999);
        assertThat(Arrays.copyOfRange(a, 0, 32)).isEqualTo(Arrays.copyOfRange(b, 0, 32));
        assertThat(Arrays.copyOfRange(a, 32, 64)).isNotEqualTo(Arrays.copyOfRange(b, 32, 64));
    }

    @Test
    void aTamperedTimeMacIsRefusedEvenWhileItsSecondIsCached() {
        byte[] cookie = jar.mint(A, 100 * SECOND);
        cookie[10] ^= 1;
        assertThat(jar.check(cookie, A, 100 * SECOND)).isEqualTo(CookieJar.Check.BAD);
        byte[] untouched = jar.mint(A, 100 * SECOND);
        assertThat(jar.check(untouched, A, 100 * SECOND)).isEqualTo(CookieJar.Check.OK);
    }

    @Test
    void aCookieWithAnotherTimeIsRefused() {
        byte[] cookie = jar.mint(A, 100 * SECOND);
        cookie[3] ^= 1;
        assertThat(jar.check(cookie, A, 101 * SECOND)).isEqualTo(CookieJar.Check.BAD);
    }

    @Test
    void expiredAndForeignCookiesAreRefused() {
        byte[] cookie = jar.mint(A, 100 * SECOND);
        assertThat(jar.check(cookie, A, 100 * SECOND + LIFETIME + 1)).isEqualTo(CookieJar.Check.BAD);
        byte[] foreign = new CookieJar(new SecureRandom(), LIFETIME).mint(A, 100 * SECOND);
        assertThat(jar.check(foreign, A, 100 * SECOND)).isEqualTo(CookieJar.Check.BAD);
        assertThat(jar.check(new byte[CookieJar.COOKIE_LENGTH - 1], A, 100 * SECOND))
                .isEqualTo(CookieJar.Check.BAD);
    }
}
