package io.rtmfp4j.bench.jmh;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PacketProtection;
import io.rtmfp4j.core.crypto.SessionKeys;
import io.rtmfp4j.core.crypto.SessionSecurity;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encrypt plus decrypt of one session packet (RFC 7425 §4.5): the per-packet cost of the crypto
 * profile. "checksum" is Flash's default mode; "hmac+sseq" is rtmfp-cpp tcserver's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PacketProtectionBenchmark {
    @Param({"64", "1200"})
    int size;

    @Param({"checksum", "hmac+sseq"})
    String mode;

    private PacketProtection sender;
    private PacketProtection receiver;
    private byte[] packet;

    @Setup
    public void setup() {
        Random r = new Random(7);
        byte[] secret = new byte[128];
        byte[] skic = new byte[76];
        byte[] skrc = new byte[139];
        r.nextBytes(secret);
        r.nextBytes(skic);
        r.nextBytes(skrc);
        SessionKeys initiator = SessionKeys.derive(secret, skic, skrc);
        SessionKeys responder = SessionKeys.derive(secret, skrc, skic);
        int hmac = mode.equals("checksum") ? 0 : 16;
        boolean sseq = !mode.equals("checksum");
        sender = PacketProtection.forSession(new SessionSecurity(initiator, hmac, hmac, sseq, sseq, DhGroup.GROUP_2));
        receiver = PacketProtection.forSession(new SessionSecurity(responder, hmac, hmac, sseq, sseq, DhGroup.GROUP_2));
        packet = new byte[size];
        r.nextBytes(packet);
        packet[0] = 0x0d;
    }

    @Benchmark
    public byte[] sealAndOpen() {
        byte[] datagram = sender.seal(0x01020304, packet, 0, packet.length);
        return receiver.open(datagram, 0, datagram.length);
    }
}
