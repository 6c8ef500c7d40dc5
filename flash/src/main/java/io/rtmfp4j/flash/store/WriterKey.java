package io.rtmfp4j.flash.store;

import io.rtmfp4j.core.wire.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;

/**
 * The Ed25519 key pair a {@link GroupStore} writer signs its entries with (RFC 8032, in the JDK
 * since 15). A member's RTMFP identity cannot sign: its certificate holds Diffie-Hellman keys
 * (RFC 7425 §4.3), and the peer ID is only their hash. So a writer has a key of its own, whose
 * 32-byte public key every entry carries; whoever holds the private key is that writer.
 */
public final class WriterKey {
    /** Bytes of a raw Ed25519 public key (RFC 8032 §5.1.5). */
    public static final int PUBLIC_LENGTH = 32;
    /** Bytes of an Ed25519 signature (RFC 8032 §5.1.6). */
    public static final int SIGNATURE_LENGTH = 64;
    /**
     * The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): the JDK reads public keys
     * only in that form, and the raw key follows it.
     */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final PrivateKey privateKey;
    private final byte[] publicKey;

    private WriterKey(PrivateKey privateKey, byte[] publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A new random key. */
    public static WriterKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            return new WriterKey(pair.getPrivate(), Arrays.copyOfRange(spki, spki.length - PUBLIC_LENGTH, spki.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    /**
     * The key in {@code file} (as this method writes it: the PKCS #8 private key and the raw
     * public key, in hex on two lines), or a new one written there if the file does not exist, so
     * that a writer stays the same writer from one run to the next.
     *
     * @throws IOException if the file cannot be read or written, or does not hold a matching key pair
     */
    public static WriterKey loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        WriterKey k = generate();
        Files.writeString(file, Hex.encode(k.privateKey.getEncoded()) + "\n" + Hex.encode(k.publicKey) + "\n",
                StandardCharsets.US_ASCII);
        return k;
    }

    private static WriterKey load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        try {
            if (lines.size() != 2) {
                throw new IllegalArgumentException("two lines expected");
            }
            PrivateKey priv = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(Hex.decode(lines.get(0).strip())));
            byte[] pub = Hex.decode(lines.get(1).strip());
            WriterKey k = new WriterKey(priv, pub);
            byte[] probe = "rtmfp4j writer key check".getBytes(StandardCharsets.US_ASCII);
            if (pub.length != PUBLIC_LENGTH || !verify(pub, probe, k.sign(probe))) {
                throw new IllegalArgumentException("the public key is not the private key's");
            }
            return k;
        } catch (IllegalArgumentException | InvalidKeySpecException | IllegalStateException e) {
            throw new IOException(file + " does not hold a writer key: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    /** The raw 32-byte public key: what entries carry and readers may pin. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Whether {@code signature} is {@code publicKey}'s over {@code data}; false for a malformed key. */
    static boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(decodePublic(publicKey));
            s.update(data);
            return s.verify(signature);
        } catch (InvalidKeyException | InvalidKeySpecException | SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    private static PublicKey decodePublic(byte[] raw) throws GeneralSecurityException {
        byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + raw.length);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }
}
