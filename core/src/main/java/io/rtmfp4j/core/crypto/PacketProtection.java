package io.rtmfp4j.core.crypto;

import io.rtmfp4j.core.wire.ByteReader;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.Vlu;
import io.rtmfp4j.core.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption and authentication of RTMFP packets (RFC 7016 §2.2.2–2.2.3 with the Flash profile,
 * RFC 7425 §4.1, §4.5–4.6; spec §1.1–1.4, §4.7).
 *
 * <p>Datagram: {@code scrambled SSID(4) || AES-128-CBC(cleartext block) || [HMAC]}, where the
 * cleartext block is {@code [SSEQ VLU] [checksum(2)] packet 0xff-padding}. The checksum is present
 * only without HMAC in that direction; the sequence number only if negotiated.
 *
 * <p>Per session and <b>not thread-safe</b>: it holds initialised {@link Cipher} and {@link Mac}
 * instances ({@code doFinal} returns them to their initial state, and the IV is zero for every
 * packet, RFC 7425 §4.5) and the send/receive sequence state. The owning event loop uses it from
 * one thread. The ciphers are keyed when first needed and given up when the thread's other
 * sessions have used theirs more recently ({@link LiveCiphers}): idle sessions hold only keys.
 */
public final class PacketProtection {
    /** RFC 7425 §4.1: the key of startup packets and of sessions until keying completes. */
    private static final byte[] DEFAULT_KEY = "Adobe Systems 02".getBytes(StandardCharsets.US_ASCII);
    private static final int BLOCK = 16;
    /**
     * AES-128 by name (RFC 7425 §4.1, §4.5; spec §1.3: the keys are 16 bytes): the provider has
     * a service of exactly this transformation, so {@code getInstance} skips the mode and padding
     * matching that plain "AES/CBC/NoPadding" needs, which halves its cost per session.
     */
    private static final String AES_CBC = "AES_128/CBC/NoPadding";
    /** rtmfp-cpp's MAX_SSEQ_GAP: sequence numbers this far below the highest seen count as seen. */
    static final int SSEQ_WINDOW = 32;
    private static final int SSID_LENGTH = 4;

    private final byte[] encryptKey;
    private final byte[] decryptKey;
    /** Null until first needed and after {@link LiveCiphers} took them back. */
    private Cipher encrypt;
    private Cipher decrypt;
    private final Mac txMac;
    private final Mac rxMac;
    private final int txHmacLength;
    private final int rxHmacLength;
    private final boolean txSseq;
    private final boolean rxSseq;

    /**
     * Cleartext work space, one per thread rather than per session: a server holds many idle
     * sessions and uses only a few of these at a time, on its loop thread.
     */
    private static final ThreadLocal<byte[]> WORK = ThreadLocal.withInitial(() -> new byte[1280]);
    /** HMAC output, only in sessions that use one. */
    private final byte[] macOut;

    private long txSequence;
    /** Highest sequence number received, −1 before the first. */
    private long rxHighest = -1;
    /** Bit i set = {@code rxHighest − i} has been received. */
    private long rxSeen;

    private PacketProtection(byte[] encryptKey, byte[] decryptKey, byte[] txHmacKey, int txHmacLength,
            byte[] rxHmacKey, int rxHmacLength, boolean txSseq, boolean rxSseq) {
        this.encryptKey = encryptKey;
        this.decryptKey = decryptKey;
        try {
            txMac = txHmacLength == 0 ? null : initMac(txHmacKey);
            rxMac = rxHmacLength == 0 ? null : initMac(rxHmacKey);
            macOut = txMac == null && rxMac == null ? null : new byte[32];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
        this.txHmacLength = txHmacLength;
        this.rxHmacLength = rxHmacLength;
        this.txSseq = txSseq;
        this.rxSseq = rxSseq;
    }

    /** The IV of every packet (RFC 7425 §4.5); the spec copies it, so one serves every cipher. */
    private static final IvParameterSpec ZERO_IV = new IvParameterSpec(new byte[BLOCK]);

    /**
     * AES-CBC keyed with {@code key}: a cipher another protection of this thread gave up, keyed
     * again, or else a new one from the provider found once ({@code Cipher.getInstance(String)}
     * alone walks the provider list, which costs more than keying a session's ciphers).
     */
    private static Cipher keyedAesCbc(int mode, byte[] key) {
        try {
            Cipher c = LiveCiphers.spare();
            if (c == null) {
                c = Cipher.getInstance(AES_CBC, AesProvider.INSTANCE);
            }
            c.init(mode, new SecretKeySpec(key, "AES"), ZERO_IV);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC is required of every JDK", e);
        }
    }

    /** Keys the ciphers if this protection gave them up, and marks them used now. */
    private void keyCiphers() {
        if (encrypt == null) {
            encrypt = keyedAesCbc(Cipher.ENCRYPT_MODE, encryptKey);
            decrypt = keyedAesCbc(Cipher.DECRYPT_MODE, decryptKey);
        }
        LiveCiphers.used(this);
    }

    /**
     * Called by {@link LiveCiphers} (other protections of this thread were used more recently) and
     * at release: the ciphers go to the thread's spares, for the next protection to key.
     */
    void dropCiphers() {
        if (encrypt != null) {
            LiveCiphers.keepSpare(encrypt);
            LiveCiphers.keepSpare(decrypt);
        }
        encrypt = null;
        decrypt = null;
    }

    /** The session is over: its ciphers go, and so does its place among the thread's live ones. */
    public void release() {
        dropCiphers();
        LiveCiphers.forget(this);
    }

    /** Whether the ciphers are keyed now, for tests. */
    boolean holdsCiphers() {
        return encrypt != null;
    }

    private static final class AesProvider {
        static final Provider INSTANCE;

        static {
            try {
                INSTANCE = Cipher.getInstance(AES_CBC).getProvider();
            } catch (GeneralSecurityException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private static Mac initMac(byte[] key) throws GeneralSecurityException {
        Mac mac = SessionKeys.newMac();
        mac.init(SessionKeys.hmacKey(key));
        return mac;
    }

    /**
     * Protection of startup packets (SSID 0, and RIKeying / Cookie Change, pitfall P9): the default
     * key in both directions, checksum, no HMAC, no sequence numbers.
     */
    public static PacketProtection startup() {
        return new PacketProtection(DEFAULT_KEY, DEFAULT_KEY, null, 0, null, 0, false, false);
    }

    /** Protection of a keyed session's packets, as negotiated. */
    public static PacketProtection forSession(SessionSecurity s) {
        SessionKeys k = s.keys();
        return new PacketProtection(k.encryptKeyShared(), k.decryptKeyShared(), k.txHmacKey(), s.txHmacLength(),
                k.rxHmacKey(), s.rxHmacLength(), s.txSseq(), s.rxSseq());
    }

    /** The sequence number the next sealed packet will carry (counts sealed packets if SSEQ is on). */
    public long sentSequence() {
        return txSequence;
    }

    /**
     * Room {@link #sealInPlace} needs before the packet: the longest session sequence number and
     * the checksum.
     */
    public static final int PREFIX_ROOM = Vlu.MAX_BYTES + 2;
    /** Room {@link #sealInPlace} needs after the packet: the padding to a whole cipher block. */
    public static final int PADDING_ROOM = BLOCK;

    /**
     * Builds a complete datagram from a packet (flags byte onward).
     *
     * @param ssid the 4 session-ID bytes loaded big-endian: opaque, never interpreted (pitfall P2)
     */
    public byte[] seal(int ssid, byte[] packet, int off, int len) {
        if (off < 0 || len < 0 || off > packet.length - len) {
            throw new IndexOutOfBoundsException("slice " + off + "+" + len + " of " + packet.length);
        }
        byte[] w = workBuffer(PREFIX_ROOM + len + PADDING_ROOM);
        System.arraycopy(packet, off, w, PREFIX_ROOM, len);
        return sealInPlace(ssid, w, PREFIX_ROOM, len);
    }

    /**
     * As {@link #seal}, for a packet its caller encoded with {@link #PREFIX_ROOM} bytes free before
     * it and {@link #PADDING_ROOM} after it, which this overwrites: the cleartext block is built
     * around the packet where it lies, so a session's packets are not copied once more on their
     * way to the cipher.
     */
    public byte[] sealInPlace(int ssid, byte[] buf, int off, int len) {
        if (off < PREFIX_ROOM || len < 0 || off > buf.length - len - PADDING_ROOM) {
            throw new IndexOutOfBoundsException("packet " + off + "+" + len + " of " + buf.length
                    + " without the room around it");
        }
        int prefix = (txSseq ? Vlu.size(txSequence) : 0) + (txMac == null ? 2 : 0);
        int start = off - prefix;
        // RFC 7425 §4.5: pad with 0xff so the whole cleartext block, prefix included, is a multiple
        // of 16 (pitfall P4); AES-CBC is then applied without cipher-level padding. A cleartext
        // block is never empty (real packets have a flags byte; the receiver rejects empty ones).
        int blockLen = Math.max(BLOCK, (prefix + len + BLOCK - 1) & -BLOCK);
        int p = start;
        if (txSseq) {
            p = Vlu.write(buf, p, txSequence);
        }
        Arrays.fill(buf, off + len, start + blockLen, (byte) 0xff);
        if (txMac == null) {
            // Over packet and padding only: after the checksum field, excluding SSEQ (pitfall P3).
            int sum = Checksum.compute(buf, off, start + blockLen - off);
            buf[p] = (byte) (sum >>> 8);
            buf[p + 1] = (byte) sum;
        }

        byte[] out = new byte[SSID_LENGTH + blockLen + txHmacLength];
        keyCiphers();
        try {
            encrypt.doFinal(buf, start, blockLen, out, SSID_LENGTH);
            if (txMac != null) {
                // RFC 7425 §4.6: the HMAC covers the ciphertext, truncated to our announced length.
                txMac.update(out, SSID_LENGTH, blockLen);
                txMac.doFinal(macOut, 0);
                System.arraycopy(macOut, 0, out, SSID_LENGTH + blockLen, txHmacLength);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        // RFC 7016 §2.2.2: SSID XOR the first two 32-bit words of the encrypted part.
        int scrambled = ssid ^ ByteReader.u32(out, SSID_LENGTH) ^ ByteReader.u32(out, SSID_LENGTH + 4);
        ByteWriter.putU32(out, 0, scrambled);
        if (txSseq) {
            txSequence++;
        }
        return out;
    }

    /**
     * Recovers the session ID of a received datagram (RFC 7016 §2.2.2), as 4 bytes loaded big-endian.
     *
     * @throws WireFormatException if the datagram is shorter than SSID plus one cipher block
     */
    public static int unscrambleSsid(byte[] d, int off, int len) {
        if (off < 0 || len < 0 || off > d.length - len) {
            throw new IndexOutOfBoundsException("slice " + off + "+" + len + " of " + d.length);
        }
        if (len < SSID_LENGTH + BLOCK) {
            throw new WireFormatException("datagram of " + len + " bytes is too short");
        }
        return ByteReader.u32(d, off) ^ ByteReader.u32(d, off + 4) ^ ByteReader.u32(d, off + 8);
    }

    /**
     * Verifies and decrypts a datagram (SSID included) and returns the packet bytes from the flags
     * byte through the padding; the chunk parser stops at the padding (spec §1.6).
     *
     * @throws WireFormatException if any check fails; the datagram is then dropped
     */
    public byte[] open(byte[] d, int off, int len) {
        return openView(d, off, len).rest();
    }

    /**
     * As {@link #open}, but the packet stays in this thread's work buffer: the reader is valid
     * until the thread's next {@code open}, {@code openView} or {@code seal}. For a packet decoded
     * at once, since decoding copies what it keeps: every received packet is then copied once less.
     * Order as spec §1.3: HMAC, ciphertext length, decryption, sequence number replay check, checksum.
     *
     * @throws WireFormatException if any check fails; the datagram is then dropped
     */
    public ByteReader openView(byte[] d, int off, int len) {
        if (off < 0 || len < 0 || off > d.length - len) {
            throw new IndexOutOfBoundsException("slice " + off + "+" + len + " of " + d.length);
        }
        int cipherLen = len - SSID_LENGTH - rxHmacLength;
        if (cipherLen <= 0 || (cipherLen & (BLOCK - 1)) != 0) {
            throw new WireFormatException("encrypted part of " + cipherLen + " bytes is not whole AES blocks");
        }
        int cipherOff = off + SSID_LENGTH;
        if (rxMac != null) {
            rxMac.update(d, cipherOff, cipherLen);
            try {
                rxMac.doFinal(macOut, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            }
            // Constant time, so a forger learns nothing from how fast a guess is refused.
            int diff = 0;
            int macAt = cipherOff + cipherLen;
            for (int i = 0; i < rxHmacLength; i++) {
                diff |= macOut[i] ^ d[macAt + i];
            }
            if (diff != 0) {
                throw new WireFormatException("HMAC mismatch");
            }
        }
        byte[] w = workBuffer(cipherLen);
        keyCiphers();
        try {
            decrypt.doFinal(d, cipherOff, cipherLen, w, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        int p = 0;
        long seq = 0;
        if (rxSseq) {
            ByteReader r = new ByteReader(w, 0, cipherLen);
            seq = r.vlu();
            p = r.position();
            if (alreadySeen(seq)) {
                throw new WireFormatException("replayed session sequence number " + seq);
            }
        }
        if (rxMac == null) {
            if (cipherLen - p < 2) {
                throw new WireFormatException("no room for the checksum");
            }
            int stored = ((w[p] & 0xff) << 8) | (w[p + 1] & 0xff);
            p += 2;
            if (stored != Checksum.compute(w, p, cipherLen - p)) {
                throw new WireFormatException("checksum mismatch");
            }
        }
        // Record the number only once the packet is known good, so a forged packet cannot burn
        // a sequence number (rtmfp-cpp does the same).
        if (rxSseq) {
            markSeen(seq);
        }
        return new ByteReader(w, p, cipherLen - p);
    }

    /**
     * rtmfp-cpp's rule (spec §4.7): a number is seen if it was received, or if it is at most
     * {@code highest − 32} once a number above 32 has been received.
     */
    private boolean alreadySeen(long seq) {
        if (seq > rxHighest) {
            return false;
        }
        if (rxHighest > SSEQ_WINDOW && seq <= rxHighest - SSEQ_WINDOW) {
            return true;
        }
        // Within the window: rxHighest - seq <= 32 (or rxHighest <= 32, so the distance is <= 32).
        return (rxSeen & (1L << (rxHighest - seq))) != 0;
    }

    private void markSeen(long seq) {
        if (seq > rxHighest) {
            long shift = rxHighest < 0 ? 64 : seq - rxHighest;
            rxSeen = shift >= 64 ? 0 : rxSeen << shift;
            rxSeen |= 1;
            rxHighest = seq;
        } else {
            rxSeen |= 1L << (rxHighest - seq);
        }
    }

    private static byte[] workBuffer(int n) {
        byte[] work = WORK.get();
        if (work.length < n) {
            work = new byte[Math.max(n, work.length * 2)];
            WORK.set(work);
        }
        return work;
    }

    @Override
    public String toString() {
        return "PacketProtection[tx " + mode(txHmacLength, txSseq) + ", rx " + mode(rxHmacLength, rxSseq) + "]";
    }

    private static String mode(int hmac, boolean sseq) {
        return (hmac == 0 ? "checksum" : "HMAC-" + hmac) + (sseq ? "+SSEQ" : "");
    }
}
