package io.rtmfp4j.server.redirect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.chunk.ChunkArbitraries;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.core.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class RedirectorMessageProperties {
    @Provide
    Arbitrary<RedirectorMessage> messages() {
        return Arbitraries.oneOf(
                Arbitraries.just(new RedirectorMessage.Draining()),
                Combinators.combine(Arbitraries.of(true, false),
                        ChunkArbitraries.addresses().list().ofMaxSize(RedirectorMessage.MAX_ADDRESSES))
                        .as(RedirectorMessage.Settings::new),
                Arbitraries.longs().between(0, Long.MAX_VALUE >> 8).map(RedirectorMessage.LoadFactor::new),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(100).map(RedirectorMessage.UserData::new),
                ChunkArbitraries.addresses().map(RedirectorMessage.ReflexiveAddress::new),
                Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(32),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(RedirectorMessage.MAX_KEY_ID))
                        .as(RedirectorMessage.SimpleAuth::new));
    }

    @Property
    void roundTrips(@ForAll("messages") RedirectorMessage m) {
        assertThat(RedirectorMessage.decode(m.encode())).isEqualTo(m);
    }

    @Property
    void anyBytesDecodeOrFailWithTheProjectException(@ForAll @Size(max = 200) byte[] bytes) {
        try {
            assertThat(RedirectorMessage.decode(bytes).encode()).isNotEmpty();
        } catch (WireFormatException expected) {
            // The registration is closed, as rtmfp-cpp's redirector closes a malformed one.
        }
    }

    /** rtmfp-cpp's RedirectorClient writes settings as options: 02 0d (reflexive), then 08 0a <address>. */
    @Example
    void settingsAreOptionsAsRtmfpCppWritesThem() {
        RedirectorMessage m = RedirectorMessage.decode(Hex.decode("05 01 0d 08 0a 01 7f 00 00 01 65 1f"));
        assertThat(m).isInstanceOf(RedirectorMessage.Settings.class);
        RedirectorMessage.Settings s = (RedirectorMessage.Settings) m;
        assertThat(s.includeReflexive()).isTrue();
        assertThat(s.addresses()).hasSize(1);
        assertThat(s.addresses().get(0).socketAddress().getPort()).isEqualTo(0x651f);
        assertThat(Hex.encode(s.encode())).isEqualTo("05010d080a017f000001651f");
    }

    @Example
    void metadataMatchesTheUriAloneOrFollowedByOptions() {
        byte[] uri = "http://zenomt.com/ns/rtmfp#redirector".getBytes(StandardCharsets.US_ASCII);
        assertThat(RedirectorMessage.matches(uri)).isTrue();
        byte[] withOptions = java.util.Arrays.copyOf(uri, uri.length + 2);
        assertThat(RedirectorMessage.matches(withOptions)).isTrue();
        assertThat(RedirectorMessage.matches(java.util.Arrays.copyOf(uri, uri.length - 1))).isFalse();
        byte[] longer = (new String(uri, StandardCharsets.US_ASCII) + "x").getBytes(StandardCharsets.US_ASCII);
        assertThat(RedirectorMessage.matches(longer)).isFalse();
    }

    @Example
    void aPasswordProofIsCheckedAgainstTheNonce() {
        byte[] nonce = Hex.decode("0102030405");
        RedirectorMessage.SimpleAuth a = RedirectorMessage.SimpleAuth.of("u".getBytes(StandardCharsets.UTF_8),
                "secret".getBytes(StandardCharsets.UTF_8), nonce);
        assertThat(a.proves("secret".getBytes(StandardCharsets.UTF_8), nonce)).isTrue();
        assertThat(a.proves("other".getBytes(StandardCharsets.UTF_8), nonce)).isFalse();
        assertThat(a.proves("secret".getBytes(StandardCharsets.UTF_8), Hex.decode("0102030406"))).isFalse();
    }

    @Example
    void aTruncatedAuthIsRefused() {
        assertThatThrownBy(() -> RedirectorMessage.decode(Hex.decode("1d 00 01 02"))).isInstanceOf(WireFormatException.class);
    }
}
