package io.rtmfp4j.server.redirect;

import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Option;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.server.auth.HmacTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The messages of rtmfp-cpp's redirector registration protocol (spec §7.4), by which a server
 * tells a redirector (load balancer) that it serves, where, and how busy it is. They travel on a
 * flow whose metadata is {@link #METADATA}, one command byte then its payload; the redirector
 * answers on a return flow with the same metadata.
 */
public sealed interface RedirectorMessage {
    /** The flow metadata, rtmfp-cpp's namespace URI for the protocol (spec §7.4). */
    byte[] METADATA = "http://zenomt.com/ns/rtmfp#redirector".getBytes(StandardCharsets.US_ASCII);
    /** The longest key ID, user data and address list accepted: registrations are small. */
    int MAX_KEY_ID = 255;
    int MAX_ADDRESSES = 32;
    int HMAC_LENGTH = 32;

    int DRAINING = 0x00;
    int SETTINGS = 0x05;
    int REFLEXIVE_ADDRESS = 0x0d;
    int LOAD_FACTOR = 0x0f;
    int USER_DATA = 0x10;
    int SIMPLE_AUTH = 0x1d;
    /** Settings option: redirect to the address the redirector observes for this server. */
    int OPT_INCLUDE_REFLEXIVE = 0x0d;
    /** Settings option: one more address to redirect to (repeatable). */
    int OPT_ADD_ADDRESS = 0x0a;
    /** The flow exception a redirector rejects a registration with when its password is wrong. */
    long EXCEPTION_BAD_AUTH = 0x0a;

    byte[] encode();

    /** Whether flow metadata is the protocol's: the URI, alone or followed by a 00 and options (spec §7.4). */
    static boolean matches(byte[] metadata) {
        if (metadata.length < METADATA.length
                || !Arrays.equals(metadata, 0, METADATA.length, METADATA, 0, METADATA.length)) {
            return false;
        }
        return metadata.length == METADATA.length || metadata[METADATA.length] == 0;
    }

    static RedirectorMessage decode(byte[] message) {
        ByteReader r = new ByteReader(message);
        int command = r.u8();
        switch (command) {
            case DRAINING:
                return new Draining();
            case SETTINGS: {
                boolean reflexive = false;
                List<Address> addresses = new ArrayList<>();
                for (Option o : Option.decodeUnterminated(r)) {
                    if (o.type() == OPT_INCLUDE_REFLEXIVE) {
                        reflexive = true;
                    } else if (o.type() == OPT_ADD_ADDRESS) {
                        if (addresses.size() == MAX_ADDRESSES) {
                            throw new WireFormatException("too many addresses in redirector settings");
                        }
                        ByteReader value = new ByteReader(o.value());
                        addresses.add(Address.decode(value));
                        if (value.hasRemaining()) {
                            throw new WireFormatException("trailing bytes after a redirector address");
                        }
                    }
                }
                return new Settings(reflexive, addresses);
            }
            case REFLEXIVE_ADDRESS: {
                Address a = Address.decode(r);
                if (r.hasRemaining()) {
                    throw new WireFormatException("trailing bytes after a reflexive address");
                }
                return new ReflexiveAddress(a);
            }
            case LOAD_FACTOR: {
                long load = r.vlu();
                if (r.hasRemaining()) {
                    throw new WireFormatException("trailing bytes after a load factor");
                }
                return new LoadFactor(load);
            }
            case USER_DATA:
                return new UserData(r.rest());
            case SIMPLE_AUTH: {
                byte[] hmac = r.bytes(HMAC_LENGTH);
                if (r.remaining() > MAX_KEY_ID) {
                    throw new WireFormatException("redirector key ID too long");
                }
                return new SimpleAuth(hmac, r.rest());
            }
            default:
                throw new WireFormatException("unknown redirector command " + command);
        }
    }

    /** The server stops taking new clients: no more redirects to it (a new {@link Settings} resumes them). */
    record Draining() implements RedirectorMessage {
        @Override
        public byte[] encode() {
            return new byte[] {DRAINING};
        }
    }

    /**
     * Where to redirect clients to this server; replaces earlier settings and makes it active.
     *
     * @param includeReflexive the address the redirector observes for the server's session
     * @param addresses        more addresses, in order
     */
    record Settings(boolean includeReflexive, List<Address> addresses) implements RedirectorMessage {
        public Settings {
            addresses = List.copyOf(addresses);
            if (addresses.size() > MAX_ADDRESSES) {
                throw new IllegalArgumentException("more than " + MAX_ADDRESSES + " addresses");
            }
        }

        @Override
        public byte[] encode() {
            ByteWriter w = new ByteWriter(2 + 21 * addresses.size());
            w.u8(SETTINGS);
            if (includeReflexive) {
                new Option(OPT_INCLUDE_REFLEXIVE, new byte[0]).encode(w);
            }
            for (Address a : addresses) {
                ByteWriter value = new ByteWriter(a.encodedSize());
                a.encode(value);
                new Option(OPT_ADD_ADDRESS, value.toByteArray()).encode(w);
            }
            return w.toByteArray();
        }
    }

    /** How busy the server is: higher is busier; redirects prefer the least busy. */
    record LoadFactor(long load) implements RedirectorMessage {
        public LoadFactor {
            if (load < 0) {
                throw new IllegalArgumentException("a load factor is not negative");
            }
        }

        @Override
        public byte[] encode() {
            return new ByteWriter(10).u8(LOAD_FACTOR).vlu(load).toByteArray();
        }
    }

    /** Opaque data either way; carried, not interpreted. */
    record UserData(byte[] data) implements RedirectorMessage {
        public UserData {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public byte[] encode() {
            return new ByteWriter(1 + data.length).u8(USER_DATA).bytes(data).toByteArray();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UserData u && Arrays.equals(u.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }
    }

    /** Redirector to server: the server's address as the redirector observes it. */
    record ReflexiveAddress(Address address) implements RedirectorMessage {
        public ReflexiveAddress {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public byte[] encode() {
            ByteWriter w = new ByteWriter(20);
            w.u8(REFLEXIVE_ADDRESS);
            address.encode(w);
            return w.toByteArray();
        }
    }

    /**
     * Proof of a shared password: HMAC-SHA-256 keyed with the password over the redirector's
     * session nonce, and the key ID that names the password.
     */
    record SimpleAuth(byte[] hmac, byte[] keyId) implements RedirectorMessage {
        public SimpleAuth {
            if (hmac.length != HMAC_LENGTH) {
                throw new IllegalArgumentException("the HMAC is " + HMAC_LENGTH + " bytes");
            }
            if (keyId.length > MAX_KEY_ID) {
                throw new IllegalArgumentException("key ID longer than " + MAX_KEY_ID + " bytes");
            }
            hmac = hmac.clone();
            keyId = keyId.clone();
        }

        /** The proof for a password, over the redirector's session nonce. */
        public static SimpleAuth of(byte[] keyId, byte[] password, byte[] redirectorNonce) {
            return new SimpleAuth(HmacTokens.hmac(password, redirectorNonce), keyId);
        }

        /** Whether this proves {@code password} over the redirector's nonce (compared in constant time). */
        public boolean proves(byte[] password, byte[] redirectorNonce) {
            return MessageDigest.isEqual(hmac, HmacTokens.hmac(password, redirectorNonce));
        }

        @Override
        public byte[] hmac() {
            return hmac.clone();
        }

        @Override
        public byte[] keyId() {
            return keyId.clone();
        }

        @Override
        public byte[] encode() {
            return new ByteWriter(1 + HMAC_LENGTH + keyId.length).u8(SIMPLE_AUTH).bytes(hmac).bytes(keyId).toByteArray();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SimpleAuth a && Arrays.equals(a.hmac, hmac) && Arrays.equals(a.keyId, keyId);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(hmac) + Arrays.hashCode(keyId);
        }
    }
}
