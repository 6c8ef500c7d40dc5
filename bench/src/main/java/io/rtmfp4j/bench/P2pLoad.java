package io.rtmfp4j.bench;

import io.rtmfp4j.flash.files.FileProtocol;
import io.rtmfp4j.flash.files.FileOffer;
import io.rtmfp4j.flash.files.FileReceiver;
import io.rtmfp4j.flash.files.FileSender;
import io.rtmfp4j.flash.files.WriteBack;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.net.RelayPolicy;
import io.rtmfp4j.flash.net.Transport;
import io.rtmfp4j.flash.tc.Status;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Two peers of a rendezvous server on loopback: how long a direct stream takes to deliver its
 * first data message (introduction, handshake, flow setup: {@code play()} to the message, each run
 * with two fresh connections), and how fast a file goes from one to the other with
 * {@link FileSender}/{@link FileReceiver}, next to two TCP copies of the same file on loopback in
 * the same run (no encryption, no digest): a plain one, forced to the disk at the end, and one that
 * also writes back as it goes, as the receiver does ({@link WriteBack}).
 */
public final class P2pLoad {
    private static final long TIMEOUT_SECONDS = 60;

    /**
     * @param uri         the server, rtmfp://host:port/app
     * @param runs        first-data measurements
     * @param fileBytes   size of the file transferred
     * @param warmups     unmeasured rounds first: a fresh JVM compiles during its first transfers
     * @param rounds      file transfers, each followed by the two TCP copies
     * @param workDir     where the file and the copies go (deleted after each round)
     */
    public record Params(String uri, int runs, long fileBytes, int warmups, int rounds, Path workDir) {
    }

    /** One copy of the file: its rate, and the CPU this process spent on it per 10^9 bytes. */
    record Copy(double megabytesPerSecond, double cpuSecondsPerGigabyte) {
        static Copy measure(long bytes, long startNanos, long startCpuNanos) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            return new Copy(bytes / seconds / 1e6, (ProcessCpu.ownNanos() - startCpuNanos) / 1e9 / (bytes / 1e9));
        }
    }

    /**
     * Figures in milliseconds, megabytes (10^6 bytes) per second and CPU seconds per gigabyte
     * (10^9 bytes; the whole process: both peers, the idle server if it runs here, JIT and GC).
     */
    public record Result(Params params, double[] firstDataMs, List<Copy> p2p, List<Copy> tcp,
            List<Copy> tcpWriteBack) {
        public String toJson() {
            double[] first = sorted(firstDataMs);
            double p2pRate = median(p2p, Copy::megabytesPerSecond);
            double tcpRate = median(tcp, Copy::megabytesPerSecond);
            double writeBackRate = median(tcpWriteBack, Copy::megabytesPerSecond);
            double p2pCpu = median(p2p, Copy::cpuSecondsPerGigabyte);
            double tcpCpu = median(tcp, Copy::cpuSecondsPerGigabyte);
            return String.format(Locale.ROOT, "{\"bench\":\"p2p\",\"server\":\"%s\",\"runs\":%d,"
                            + "\"firstDataMs\":{\"p50\":%.3f,\"p90\":%.3f,\"min\":%.3f,\"max\":%.3f},"
                            + "\"fileBytes\":%d,\"warmups\":%d,\"rounds\":%d,\"p2pMBps\":%s,\"tcpMBps\":%s,"
                            + "\"p2pCpuSecondsPerGB\":%s,\"tcpCpuSecondsPerGB\":%s,\"p2pMBpsMedian\":%.1f,"
                            + "\"tcpMBpsMedian\":%.1f,\"p2pToTcp\":%.3f,\"p2pCpuSecondsPerGBMedian\":%.2f,"
                            + "\"tcpCpuSecondsPerGBMedian\":%.2f,\"tcpWriteBackMBps\":%s,"
                            + "\"tcpWriteBackMBpsMedian\":%.1f,\"p2pToTcpWriteBack\":%.3f}",
                    params.uri(), first.length, pct(first, 0.5), pct(first, 0.9), first[0], first[first.length - 1],
                    params.fileBytes(), params.warmups(), params.rounds(), list(p2p, Copy::megabytesPerSecond, "%.1f"),
                    list(tcp, Copy::megabytesPerSecond, "%.1f"), list(p2p, Copy::cpuSecondsPerGigabyte, "%.2f"),
                    list(tcp, Copy::cpuSecondsPerGigabyte, "%.2f"), p2pRate, tcpRate, p2pRate / tcpRate, p2pCpu, tcpCpu,
                    list(tcpWriteBack, Copy::megabytesPerSecond, "%.1f"), writeBackRate, p2pRate / writeBackRate);
        }

        private static double[] sorted(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s;
        }

        private static double pct(double[] sorted, double q) {
            return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
        }

        static <T> double median(List<T> items, ToDoubleFunction<T> figure) {
            return pct(sorted(items.stream().mapToDouble(figure).toArray()), 0.5);
        }

        /** A JSON array of one figure of each item; null for a figure not known (NaN). */
        static <T> String list(List<T> items, ToDoubleFunction<T> figure, String format) {
            StringBuilder b = new StringBuilder("[");
            for (T item : items) {
                b.append(b.length() == 1 ? "" : ",").append(number(figure.applyAsDouble(item), format));
            }
            return b.append(']').toString();
        }

        static String number(double v, String format) {
            return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, format, v);
        }
    }

    private P2pLoad() {
    }

    public static Result run(Params p) throws Exception {
        double[] first = new double[p.runs()];
        for (int i = 0; i < p.runs(); i++) {
            first[i] = firstDataMillis(p);
        }
        Path file = p.workDir().resolve("p2p-bench.bin");
        Path inbox = Files.createDirectories(p.workDir().resolve("p2p-bench-inbox"));
        List<Copy> p2p = new ArrayList<>();
        List<Copy> tcp = new ArrayList<>();
        List<Copy> tcpWriteBack = new ArrayList<>();
        try {
            writeRandom(file, p.fileBytes());
            FileOffer offer = FileSender.offerFor(file);
            for (int i = -p.warmups(); i < p.rounds(); i++) {
                Copy ours = fileTransfer(p, file, offer, inbox);
                Files.delete(inbox.resolve(offer.name()));
                Path copy = inbox.resolve("tcp-copy.bin");
                Copy baseline = tcpCopy(file, copy, false);
                Files.delete(copy);
                Copy writingBack = tcpCopy(file, copy, true);
                Files.delete(copy);
                if (i >= 0) {
                    p2p.add(ours);
                    tcp.add(baseline);
                    tcpWriteBack.add(writingBack);
                }
            }
        } finally {
            Files.deleteIfExists(file);
            try (var left = Files.list(inbox)) {
                for (Path f : left.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(inbox);
        }
        return new Result(p, first, p2p, tcp, tcpWriteBack);
    }

    /** A connection on 127.0.0.1, connected to the server. */
    private static NetConnection connected(Params p) throws Exception {
        return connected(p.uri(), RelayPolicy.AUTO);
    }

    /**
     * A connection on 127.0.0.1 that reaches peers as {@code relay} says, connected to the server at
     * {@code uri} over UDP only: a server still starting must not turn a measurement into one of the
     * TCP tunnel.
     */
    static NetConnection connected(String uri, RelayPolicy relay) throws Exception {
        NetConnection c = NetConnection.builder().bind(new InetSocketAddress("127.0.0.1", 0))
                .receiveWindow(FileProtocol.RECEIVE_WINDOW).relay(relay).transport(Transport.UDP).build();
        try {
            c.connect(uri).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    /** {@code play()} to the publisher's first data message, between two fresh connections. */
    private static double firstDataMillis(Params p) throws Exception {
        try (NetConnection a = connected(p); NetConnection b = connected(p)) {
            NetConnection publisherSide = a;
            NetConnection playerSide = b;
            NetStream out = NetStream.publisher(publisherSide);
            CompletableFuture<Void> publishing = new CompletableFuture<>();
            out.setHandler(new NetStreamHandler() {
                @Override
                public void onStatus(NetStatus s) {
                    if (Status.PUBLISH_START.equals(s.code())) {
                        publishing.complete(null);
                    } else if (Status.STREAM_CONNECT_SUCCESS.equals(s.code())) {
                        out.send("hello");
                    }
                }
            });
            out.publish("bench");
            publishing.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            CompletableFuture<Long> firstData = new CompletableFuture<>();
            NetStream in = NetStream.player(playerSide, publisherSide.nearId());
            in.setHandler(new NetStreamHandler() {
                @Override
                public void onData(String handler, List<Object> arguments) {
                    firstData.complete(System.nanoTime());
                }

                @Override
                public void onStatus(NetStatus s) {
                    if (s.isError()) {
                        firstData.completeExceptionally(new IllegalStateException(s.toString()));
                    }
                }
            });
            long start = System.nanoTime();
            in.play("bench");
            return (firstData.get(TIMEOUT_SECONDS, TimeUnit.SECONDS) - start) / 1e6;
        }
    }

    /** Offer to confirmed delivery, the digest of the source computed beforehand. */
    private static Copy fileTransfer(Params p, Path file, FileOffer offer, Path inbox) throws Exception {
        try (NetConnection sender = connected(p); NetConnection receiver = connected(p)) {
            return fileTransfer(sender, receiver, file, offer, inbox);
        }
    }

    /** Offer to confirmed delivery between two connections, the digest of the source computed beforehand. */
    static Copy fileTransfer(NetConnection sender, NetConnection receiver, Path file, FileOffer offer, Path inbox)
            throws Exception {
        try (FileReceiver r = FileReceiver.start(receiver, inbox, new FileReceiver.Listener() { })) {
            long start = System.nanoTime();
            long cpu = ProcessCpu.ownNanos();
            FileSender.send(sender, receiver.nearId(), file, offer, FileSender.Options.defaults())
                    .get(TIMEOUT_SECONDS * 10, TimeUnit.SECONDS);
            return Copy.measure(offer.size(), start, cpu);
        }
    }

    /**
     * A plain TCP copy on loopback: one thread reads the file into a socket, another writes the
     * socket to a file and forces it to disk, as the receiver does before it renames a part; with
     * {@code writeBack}, also every {@link WriteBack#EVERY} bytes on the way, as the receiver does.
     */
    private static Copy tcpCopy(Path file, Path copy, boolean writeBack) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket listener = new ServerSocket(0, 1, loopback)) {
            CompletableFuture<Long> written = CompletableFuture.supplyAsync(() -> {
                try (Socket s = listener.accept(); InputStream in = s.getInputStream();
                        FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    long n = writeBack ? copyWritingBack(in, out, copy.getFileName().toString())
                            : in.transferTo(Channels.newOutputStream(out));
                    out.force(false);
                    return n;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long start = System.nanoTime();
            long cpu = ProcessCpu.ownNanos();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(loopback, listener.getLocalPort()));
                try (InputStream in = Files.newInputStream(file); OutputStream out = s.getOutputStream()) {
                    in.transferTo(out);
                }
            }
            long n = written.get(TIMEOUT_SECONDS * 10, TimeUnit.SECONDS);
            Copy measured = Copy.measure(n, start, cpu);
            if (n != Files.size(file)) {
                throw new IllegalStateException("the TCP copy has " + n + " bytes, not " + Files.size(file));
            }
            return measured;
        }
    }

    /** Copies {@code in} to {@code out}, writing it back every {@link WriteBack#EVERY} bytes on the way. */
    private static long copyWritingBack(InputStream in, FileChannel out, String name) throws IOException {
        WriteBack flushes = new WriteBack(() -> out.force(false), name, WriteBack.EVERY);
        long n;
        try {
            n = in.transferTo(new FilterOutputStream(Channels.newOutputStream(out)) {
                private long position;

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    this.out.write(b, off, len);
                    position += len;
                    flushes.written(position);
                }
            });
        } catch (IOException | RuntimeException e) {
            // Before the channel closes: a force may still run.
            flushes.close();
            throw e;
        }
        IOException failed = flushes.close();
        if (failed != null) {
            throw failed;
        }
        return n;
    }

    static void writeRandom(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom();
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }
}
