package io.rtmfp4j.server;

import io.rtmfp4j.runtime.sim.SimHost;
import static io.rtmfp4j.server.SimRendezvous.SECOND;
import static io.rtmfp4j.server.SimRendezvous.URL;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.sim.LinkConditions;
import io.rtmfp4j.core.sim.SimNetwork;
import io.rtmfp4j.core.sim.SimSeedExtension;
import io.rtmfp4j.flash.files.FileDigest;
import io.rtmfp4j.flash.files.FileOffer;
import io.rtmfp4j.flash.files.FileReceiver;
import io.rtmfp4j.flash.files.FileSender;
import io.rtmfp4j.flash.files.FileTransferException;
import io.rtmfp4j.flash.files.TransferProgress;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.server.auth.Authenticator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * File delivery (FileSender to FileReceiver over direct NetStreams) against the rendezvous
 * server, in simulation: large files over lossy links, resuming after a cut, and every way an
 * offer can fail.
 */
@ExtendWith(SimSeedExtension.class)
class FileTransferSimulationTest {
    private static final int MB = 1 << 20;
    /** The sender reads on the simulation's thread, as the receiver writes there: runs replay from their seed. */
    private static final FileSender.Options REPLAYABLE =
            FileSender.Options.defaults().withReading(FileSender.Reading.CALLBACKS);

    final long seed = SimNetwork.seedFromEnvironment(System.nanoTime());
    final SimNetwork net = new SimNetwork(seed);
    final SimRendezvous world = new SimRendezvous(net, Authenticator.open());

    @TempDir
    Path tmp;
    Path inbox;

    @BeforeEach
    void inbox() throws IOException {
        inbox = Files.createDirectory(tmp.resolve("inbox"));
    }

    /** What a receiver reported. */
    static final class Events implements FileReceiver.Listener {
        final List<String> received = new ArrayList<>();
        final List<String> refused = new ArrayList<>();
        final List<FileTransferException> failed = new ArrayList<>();
        final List<Long> acceptedAt = new ArrayList<>();
        /** Every progress report's bytes, in order. */
        final List<Long> progress = new ArrayList<>();
        long bytes;

        @Override
        public void onAccepted(String peerId, FileOffer offer, long offset) {
            acceptedAt.add(offset);
        }

        @Override
        public void onRefused(String peerId, FileOffer offer, String reason) {
            refused.add(reason);
        }

        @Override
        public void onProgress(TransferProgress p) {
            bytes = p.bytes();
            progress.add(bytes);
        }

        @Override
        public void onReceived(String peerId, FileOffer offer, Path file, TransferProgress progress) {
            received.add(file.getFileName().toString());
        }

        @Override
        public void onFailed(String peerId, FileOffer offer, FileTransferException error) {
            failed.add(error);
        }
    }

    /**
     * Runs the network until {@code until} holds. The network keeps every delivered datagram for
     * inspection; a transfer of many megabytes must not, so they are dropped as they come.
     */
    void run(BooleanSupplier until, long maxMicros) {
        assertThat(net.runUntil(() -> {
            net.delivered().clear();
            return until.getAsBoolean();
        }, maxMicros)).as("seed " + seed).isTrue();
    }

    NetConnection connected(SimHost host) {
        NetConnection nc = NetConnection.on(host, null, null);
        CompletableFuture<NetConnection> f = nc.connect(URL);
        run(f::isDone, 30 * SECOND);
        assertThat(f).isCompletedWithValue(nc);
        return nc;
    }

    /** A file of pseudo-random bytes drawn from the network's seed, so a failure replays. */
    Path randomFile(String name, long size) throws IOException {
        Path file = tmp.resolve(name);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[MB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }

    Events receiving(NetConnection receiver) throws IOException {
        Events events = new Events();
        FileReceiver.start(receiver, inbox, events, FileReceiver.Writing.CALLBACKS);
        return events;
    }

    static CompletableFuture<FileSender.Result> send(NetConnection from, NetConnection to, Path file, FileOffer offer)
            throws IOException {
        return FileSender.send(from, to.nearId(), file, offer, REPLAYABLE);
    }

    /** Sends and runs until the transfer settles. */
    CompletableFuture<FileSender.Result> sent(NetConnection from, NetConnection to, Path file, FileOffer offer)
            throws IOException {
        CompletableFuture<FileSender.Result> done = send(from, to, file, offer);
        run(done::isDone, 600 * SECOND);
        return done;
    }

    static void lossy(SimNetwork net, SimHost a, SimHost b, LinkConditions c) {
        net.setConditions(a.address(), b.address(), c);
        net.setConditions(b.address(), a.address(), c);
    }

    /** 100 MiB at 1.5 % loss: about 220 s of virtual time, 2 to 12 s of wall time on two shared cores. */
    @Test
    void a100MegabyteFileArrivesIdenticalOverALossyLink() throws Exception {
        SimHost senderHost = world.host();
        SimHost receiverHost = world.host();
        lossy(net, senderHost, receiverHost, new LinkConditions(5_000, 2_000, 0.015, 0.001));
        NetConnection sender = connected(senderHost);
        NetConnection receiver = connected(receiverHost);
        Events events = receiving(receiver);
        Path file = randomFile("big.bin", 100L * MB);
        FileOffer offer = FileSender.offerFor(file);

        CompletableFuture<FileSender.Result> done = sent(sender, receiver, file, offer);

        assertThat(done).isCompleted();
        FileSender.Result result = done.join();
        assertThat(result.resumedAt()).isZero();
        assertThat(events.received).containsExactly("big.bin");
        assertThat(FileDigest.sha256(inbox.resolve("big.bin"))).isEqualTo(offer.sha256());
        assertThat(Files.size(inbox.resolve("big.bin"))).isEqualTo(100L * MB);
        // Each report says more than the last, and the last says the whole file, once.
        assertThat(events.progress).doesNotHaveDuplicates().isSorted().last().isEqualTo(100L * MB);
        assertThat(inbox.resolve("big.bin.part")).doesNotExist();
        assertThat(inbox.resolve("big.bin.part.state")).doesNotExist();
        assertThat(net.linkStats(senderHost.address(), receiverHost.address()).lost()).isPositive();
    }

    @Test
    void aTransferCutOffMidwayResumesFromTheReceiversOffsetWithANewSender() throws Exception {
        SimHost aliceHost = world.host();
        SimHost receiverHost = world.host();
        NetConnection alice = connected(aliceHost);
        NetConnection receiver = connected(receiverHost);
        Events events = receiving(receiver);
        long size = 20L * MB;
        Path file = randomFile("cut.bin", size);
        FileOffer offer = FileSender.offerFor(file);
        boolean[] cut = {false};
        net.addFilter(p -> cut[0] && (p.from().equals(aliceHost.address()) || p.to().equals(aliceHost.address())));

        CompletableFuture<FileSender.Result> first = FileSender.send(alice, receiver.nearId(), file, offer,
                REPLAYABLE.withStallTimeout(Duration.ofSeconds(5)));
        run(() -> events.bytes >= size / 3, 600 * SECOND);
        cut[0] = true;
        long heldAtCut = events.bytes;
        run(first::isDone, 30 * SECOND);

        assertThat(first).isCompletedExceptionally();
        assertThat(reason(first)).isEqualTo(FileTransferException.Reason.PEER_LEFT);
        assertThat(inbox.resolve("cut.bin.part")).exists();
        assertThat(inbox.resolve("cut.bin")).doesNotExist();

        cut[0] = false;
        NetConnection carol = connected(world.host());
        CompletableFuture<FileSender.Result> second = sent(carol, receiver, file, offer);

        assertThat(second).isCompleted();
        assertThat(second.join().resumedAt()).isGreaterThanOrEqualTo(heldAtCut).isLessThan(size);
        assertThat(events.acceptedAt).hasSize(2).first().isEqualTo(0L);
        assertThat(events.failed).extracting(FileTransferException::reason)
                .containsExactly(FileTransferException.Reason.PEER_LEFT);
        assertThat(events.received).containsExactly("cut.bin");
        assertThat(FileDigest.sha256(inbox.resolve("cut.bin"))).isEqualTo(offer.sha256());
        assertThat(inbox.resolve("cut.bin.part")).doesNotExist();
        assertThat(inbox.resolve("cut.bin.part.state")).doesNotExist();
    }

    @Test
    void aRestartedReceiverResumesFromThePartOnDisk() throws Exception {
        NetConnection sender = connected(world.host());
        NetConnection firstReceiver = connected(world.host());
        Events before = receiving(firstReceiver);
        long size = 8L * MB;
        Path file = randomFile("restart.bin", size);
        FileOffer offer = FileSender.offerFor(file);

        CompletableFuture<FileSender.Result> first = send(sender, firstReceiver, file, offer);
        run(() -> before.bytes >= size / 2, 600 * SECOND);
        firstReceiver.close();
        run(first::isDone, 30 * SECOND);
        assertThat(reason(first)).isEqualTo(FileTransferException.Reason.PEER_LEFT);
        long kept = Files.size(inbox.resolve("restart.bin.part"));
        assertThat(kept).isGreaterThanOrEqualTo(size / 2).isLessThan(size);

        NetConnection secondReceiver = connected(world.host());
        Events after = receiving(secondReceiver);
        CompletableFuture<FileSender.Result> second = sent(sender, secondReceiver, file, offer);

        assertThat(second.join().resumedAt()).isEqualTo(kept);
        assertThat(after.acceptedAt).containsExactly(kept);
        assertThat(FileDigest.sha256(inbox.resolve("restart.bin"))).isEqualTo(offer.sha256());
    }

    @Test
    void aDifferentFileOfTheSameNameIsRefusedAndLeftAlone() throws Exception {
        NetConnection sender = connected(world.host());
        NetConnection receiver = connected(world.host());
        Events events = receiving(receiver);
        Path file = randomFile("taken.bin", MB);
        Files.writeString(inbox.resolve("taken.bin"), "something else");

        CompletableFuture<FileSender.Result> done = sent(sender, receiver, file, FileSender.offerFor(file));

        assertThat(reason(done)).isEqualTo(FileTransferException.Reason.REFUSED);
        assertThat(failure(done)).hasMessageContaining("taken.bin already exists");
        assertThat(events.refused).containsExactly("taken.bin already exists");
        assertThat(Files.readString(inbox.resolve("taken.bin"))).isEqualTo("something else");
        assertThat(inbox.resolve("taken.bin.part")).doesNotExist();
    }

    @Test
    void theSameFileSentAgainIsConfirmedWithoutSendingIt() throws Exception {
        NetConnection sender = connected(world.host());
        NetConnection receiver = connected(world.host());
        Events events = receiving(receiver);
        Path file = randomFile("again.bin", MB);
        Files.copy(file, inbox.resolve("again.bin"));

        CompletableFuture<FileSender.Result> done = sent(sender, receiver, file, FileSender.offerFor(file));

        assertThat(done.join().resumedAt()).isEqualTo(MB);
        assertThat(events.received).containsExactly("again.bin");
    }

    @Test
    void aFileWhoseDigestDoesNotMatchItsOfferIsDeleted() throws Exception {
        NetConnection sender = connected(world.host());
        NetConnection receiver = connected(world.host());
        Events events = receiving(receiver);
        Path file = randomFile("lie.bin", MB);
        FileOffer lie = new FileOffer("lie.bin", MB, "00".repeat(32));

        CompletableFuture<FileSender.Result> done = sent(sender, receiver, file, lie);

        assertThat(reason(done)).isEqualTo(FileTransferException.Reason.FAILED);
        assertThat(failure(done)).hasMessageContaining("SHA-256 mismatch");
        assertThat(events.failed).singleElement().extracting(FileTransferException::reason)
                .isEqualTo(FileTransferException.Reason.FAILED);
        assertInboxEmpty();
    }

    @Test
    void anOfferLargerThanTheFreeSpaceIsRefused() throws Exception {
        NetConnection sender = connected(world.host());
        NetConnection receiver = connected(world.host());
        Events events = receiving(receiver);
        Path file = randomFile("huge.bin", 1000);
        FileOffer huge = new FileOffer("huge.bin", FileOffer.MAX_SIZE, "00".repeat(32));

        CompletableFuture<FileSender.Result> done = sent(sender, receiver, file, huge);

        assertThat(reason(done)).isEqualTo(FileTransferException.Reason.REFUSED);
        assertThat(failure(done)).hasMessageContaining("not enough free space");
        assertThat(events.refused).singleElement().asString().startsWith("not enough free space");
        assertInboxEmpty();
    }

    @Test
    void aPeerThatDoesNotReceiveFilesIsReportedUnreachable() throws Exception {
        NetConnection sender = connected(world.host());
        NetConnection idle = connected(world.host());
        Path file = randomFile("x.bin", 1000);

        CompletableFuture<FileSender.Result> done = sent(sender, idle, file, FileSender.offerFor(file));

        assertThat(reason(done)).isEqualTo(FileTransferException.Reason.UNREACHABLE);
        assertThat(failure(done)).hasMessageContaining("is not receiving files");
    }

    @Test
    void anUnknownPeerIsReportedUnreachableAfterTheAnswerTimeout() throws Exception {
        NetConnection sender = connected(world.host());
        Path file = randomFile("x.bin", 1000);
        long start = net.now();

        CompletableFuture<FileSender.Result> done = FileSender.send(sender, "ab".repeat(32), file,
                FileSender.offerFor(file), REPLAYABLE.withAnswerTimeout(Duration.ofSeconds(10)));
        run(done::isDone, 60 * SECOND);

        assertThat(reason(done)).isEqualTo(FileTransferException.Reason.UNREACHABLE);
        assertThat(failure(done)).hasMessageContaining("no answer");
        assertThat(net.now() - start).isBetween(10 * SECOND, 12 * SECOND);
    }

    void assertInboxEmpty() throws IOException {
        try (var listing = Files.list(inbox)) {
            assertThat(listing).isEmpty();
        }
    }

    static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        return f.handle((v, e) -> e instanceof java.util.concurrent.CompletionException c ? c.getCause() : e).join();
    }

    static FileTransferException.Reason reason(CompletableFuture<?> f) {
        Throwable e = failure(f);
        assertThat(e).isInstanceOf(FileTransferException.class);
        return ((FileTransferException) e).reason();
    }
}
