package io.rtmfp4j.bench;

import static io.rtmfp4j.bench.P2pLoad.Result.list;
import static io.rtmfp4j.bench.P2pLoad.Result.median;
import static io.rtmfp4j.bench.P2pLoad.Result.number;

import io.rtmfp4j.bench.P2pLoad.Copy;
import io.rtmfp4j.flash.files.FileOffer;
import io.rtmfp4j.flash.files.FileSender;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.PeerPath;
import io.rtmfp4j.flash.net.RelayPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * What the server's relay costs (docs/nat.md, "The relay"): the same file goes between two peers
 * of one server on loopback, alternately over a direct session and through the relay, in the same
 * run; for each transfer, its goodput and the CPU the server's process spent meanwhile (read from
 * /proc, so the server must run on this machine for that figure). Direct transfers show the
 * server's idle cost; relayed ones, what forwarding adds.
 */
public final class RelayLoad {
    private RelayLoad() {
    }

    /**
     * @param uri       the server, rtmfp://host:port/app, with a relay rate limit above what is measured
     * @param serverPid the server's process, when it runs on this machine
     * @param fileBytes size of the file transferred
     * @param warmups   unmeasured rounds first: a fresh JVM compiles during its first transfers
     * @param rounds    measured rounds, each a direct transfer then a relayed one
     * @param workDir   where the file and its copies go (deleted after each transfer)
     */
    public record Params(String uri, OptionalLong serverPid, long fileBytes, int warmups, int rounds, Path workDir) {
    }

    /** One transfer: its rate and this process's CPU (both peers), and the server's CPU seconds meanwhile (NaN: unknown). */
    record Transfer(Copy copy, double serverCpuSeconds) {
        double megabitsPerSecond() {
            return copy.megabytesPerSecond() * 8;
        }

        /** The server's CPU, in percent of one core, per Mbit/s of goodput. */
        double serverCpuPercentPerMbps(long bytes) {
            return serverCpuSeconds * 100 / (bytes * 8 / 1e6);
        }
    }

    /** Figures in Mbit/s (10^6 bits per second of file content), CPU seconds and percent of one core. */
    public record Result(Params params, List<Transfer> direct, List<Transfer> relayed) {
        public String toJson() {
            long bytes = params.fileBytes();
            double directRate = median(direct, Transfer::megabitsPerSecond);
            double relayedRate = median(relayed, Transfer::megabitsPerSecond);
            return String.format(Locale.ROOT, "{\"bench\":\"relay\",\"server\":\"%s\",\"serverPid\":%s,"
                            + "\"fileBytes\":%d,\"warmups\":%d,\"rounds\":%d,\"directMbps\":%s,\"relayedMbps\":%s,"
                            + "\"directServerCpuSeconds\":%s,\"relayedServerCpuSeconds\":%s,"
                            + "\"directMbpsMedian\":%.1f,\"relayedMbpsMedian\":%.1f,\"relayedToDirect\":%.3f,"
                            + "\"serverCpuPercentPerRelayedMbps\":%s,\"peersCpuSecondsPerGBDirect\":%.2f,"
                            + "\"peersCpuSecondsPerGBRelayed\":%.2f}",
                    params.uri(), params.serverPid().isPresent() ? params.serverPid().getAsLong() : "null", bytes,
                    params.warmups(), params.rounds(), list(direct, Transfer::megabitsPerSecond, "%.1f"),
                    list(relayed, Transfer::megabitsPerSecond, "%.1f"),
                    list(direct, Transfer::serverCpuSeconds, "%.3f"), list(relayed, Transfer::serverCpuSeconds, "%.3f"),
                    directRate, relayedRate, relayedRate / directRate,
                    number(median(relayed, t -> t.serverCpuPercentPerMbps(bytes)), "%.4f"),
                    median(direct, t -> t.copy().cpuSecondsPerGigabyte()),
                    median(relayed, t -> t.copy().cpuSecondsPerGigabyte()));
        }
    }

    public static Result run(Params p) throws Exception {
        Path file = p.workDir().resolve("relay-bench.bin");
        Path inbox = Files.createDirectories(p.workDir().resolve("relay-bench-inbox"));
        List<Transfer> direct = new ArrayList<>();
        List<Transfer> relayed = new ArrayList<>();
        try {
            P2pLoad.writeRandom(file, p.fileBytes());
            FileOffer offer = FileSender.offerFor(file);
            for (int i = -p.warmups(); i < p.rounds(); i++) {
                Transfer d = transfer(p, RelayPolicy.NEVER, file, offer, inbox);
                Transfer r = transfer(p, RelayPolicy.ALWAYS, file, offer, inbox);
                if (i >= 0) {
                    direct.add(d);
                    relayed.add(r);
                }
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(inbox.resolve(file.getFileName()));
            Files.delete(inbox);
        }
        return new Result(p, direct, relayed);
    }

    /** One transfer between two fresh connections that reach each other as {@code relay} says, checked to have done so. */
    private static Transfer transfer(Params p, RelayPolicy relay, Path file, FileOffer offer, Path inbox)
            throws Exception {
        try (NetConnection sender = P2pLoad.connected(p.uri(), relay);
                NetConnection receiver = P2pLoad.connected(p.uri(), relay)) {
            OptionalLong before = serverCpuMillis(p);
            Copy copy = P2pLoad.fileTransfer(sender, receiver, file, offer, inbox);
            OptionalLong after = serverCpuMillis(p);
            boolean wanted = relay == RelayPolicy.ALWAYS;
            boolean through = sender.peerPath(receiver.nearId()).get(10, TimeUnit.SECONDS).map(PeerPath::relayed)
                    .orElseThrow(() -> new IllegalStateException("no session to the receiver after the transfer"));
            if (through != wanted) {
                throw new IllegalStateException("the transfer went " + (through ? "through the relay" : "directly")
                        + ", not " + (wanted ? "through the relay" : "directly"));
            }
            Files.delete(inbox.resolve(offer.name()));
            double server = before.isPresent() && after.isPresent()
                    ? (after.getAsLong() - before.getAsLong()) / 1e3 : Double.NaN;
            return new Transfer(copy, server);
        }
    }

    private static OptionalLong serverCpuMillis(Params p) {
        return p.serverPid().isPresent() ? ProcessCpu.cpuMillis(p.serverPid().getAsLong()) : OptionalLong.empty();
    }
}
