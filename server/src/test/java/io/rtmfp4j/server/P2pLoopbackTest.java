package io.rtmfp4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.flash.files.FileDigest;
import io.rtmfp4j.flash.files.FileOffer;
import io.rtmfp4j.flash.files.FileProtocol;
import io.rtmfp4j.flash.files.FileReceiver;
import io.rtmfp4j.flash.files.FileSender;
import io.rtmfp4j.flash.files.FileTransferException;
import io.rtmfp4j.flash.files.TransferProgress;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.tc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client API on real sockets: two peers introduced by a rendezvous server on loopback. */
class P2pLoopbackTest {
    /** A bound for a hung test on a loaded machine, not a timing. */
    static final Duration WAIT = Duration.ofSeconds(60);
    final List<AutoCloseable> open = new ArrayList<>();
    RendezvousServer server;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    String startServer() {
        EndpointConfig config = EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2),
                new SecureRandom())).build();
        server = RendezvousServer.start(ServerConfig.of(config, List.of(new InetSocketAddress("127.0.0.1", 0)))
                .withCryptoThreads(1));
        return "rtmfp://127.0.0.1:" + server.localAddresses().get(0).getPort() + "/live";
    }

    NetConnection connect(String url) throws Exception {
        return connect(url, 0);
    }

    /** A connection whose flows get {@code receiveWindow} bytes, or the endpoint's default for 0. */
    NetConnection connect(String url, long receiveWindow) throws Exception {
        NetConnection.Builder b = NetConnection.builder().bind(new InetSocketAddress("127.0.0.1", 0));
        NetConnection nc = (receiveWindow > 0 ? b.receiveWindow(receiveWindow) : b).build();
        open.add(nc);
        nc.connect(url).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return nc;
    }

    @Test
    void twoPeersStreamDataDirectlyAndTheServerSeesNoneOfIt() throws Exception {
        String url = startServer();
        NetConnection alice = connect(url);
        NetConnection bob = connect(url);
        NetStream out = NetStream.publisher(alice);
        out.publish("chat");
        List<String> codes = new CopyOnWriteArrayList<>();
        List<Object> lines = new CopyOnWriteArrayList<>();
        NetStream in = NetStream.player(bob, alice.nearId());
        in.setHandler(new NetStreamHandler() {
            @Override
            public void onStatus(NetStatus status) {
                codes.add(status.code());
            }

            @Override
            public void onData(String handler, List<Object> arguments) {
                if (handler.equals("line")) {
                    lines.add(arguments.get(0));
                }
            }
        });
        in.play("chat");
        await().atMost(WAIT).until(() -> out.peerStreams().size() == 1);

        for (int i = 0; i < 100; i++) {
            out.send("line", "message " + i);
        }
        out.send("line", "last").get(WAIT.toSeconds(), TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> lines.size() == 101);
        for (int i = 0; i < 100; i++) {
            assertThat(lines.get(i)).isEqualTo("message " + i);
        }
        assertThat(codes).containsSubsequence(Status.STREAM_CONNECT_SUCCESS, Status.PLAY_START);
        assertThat(server.stats().introductions()).isGreaterThanOrEqualTo(1);

        alice.close();
        await().atMost(WAIT).until(() -> codes.contains(Status.STREAM_CONNECT_CLOSED));
    }

    /** Writes {@code size} random bytes (the same each run) to {@code file}, and returns them. */
    static byte[] writeRandom(Path file, int size) throws IOException {
        byte[] content = new byte[size];
        new SplittableRandom(3).nextBytes(content);
        Files.write(file, content);
        return content;
    }

    /** Two peers of a fresh server with the file transfer's receive window, and the receiver's inbox. */
    private record FilePeers(NetConnection sender, NetConnection receiver, Path inbox) {
    }

    private FilePeers filePeers(Path tmp) throws Exception {
        String url = startServer();
        return new FilePeers(connect(url, FileProtocol.RECEIVE_WINDOW), connect(url, FileProtocol.RECEIVE_WINDOW),
                Files.createDirectory(tmp.resolve("inbox")));
    }

    /**
     * A receiver into {@code inbox} that adds each progress report's bytes to {@code progress}; the
     * future completes with the file received, or with the transfer's failure.
     */
    private CompletableFuture<Path> receive(NetConnection receiver, Path inbox, List<Long> progress) throws IOException {
        CompletableFuture<Path> received = new CompletableFuture<>();
        open.add(0, FileReceiver.start(receiver, inbox, new FileReceiver.Listener() {
            @Override
            public void onProgress(TransferProgress p) {
                progress.add(p.bytes());
            }

            @Override
            public void onReceived(String peerId, FileOffer o, Path f, TransferProgress p) {
                received.complete(f);
            }

            @Override
            public void onFailed(String peerId, FileOffer o, FileTransferException error) {
                received.completeExceptionally(error);
            }
        }));
        return received;
    }

    @Test
    void aFileReadAndWrittenOnWorkerThreadsArrivesIdentical(@TempDir Path tmp) throws Exception {
        FilePeers peers = filePeers(tmp);
        Path file = tmp.resolve("data.bin");
        byte[] content = writeRandom(file, 24 << 20);
        FileOffer offer = FileSender.offerFor(file);
        List<Long> progress = new CopyOnWriteArrayList<>();
        CompletableFuture<Path> received = receive(peers.receiver(), peers.inbox(), progress);

        FileSender.Result result = FileSender.send(peers.sender(), peers.receiver().nearId(), file, offer, FileSender.Options.defaults())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(result.resumedAt()).isZero();
        Path got = received.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(got).isEqualTo(peers.inbox().resolve("data.bin"));
        assertThat(Files.readAllBytes(got)).isEqualTo(content);
        assertThat(FileDigest.sha256(got)).isEqualTo(offer.sha256());
        assertThat(progress).doesNotHaveDuplicates().isSorted().last().isEqualTo((long) content.length);
        assertThat(peers.inbox().resolve("data.bin.part")).doesNotExist();
    }

    @Test
    void aWindowBarelyOverAChunkStillSendsAFileOfOddSizeWholeAndTheReceiversLastProgressIsTheWholeFile(@TempDir Path tmp)
            throws Exception {
        FilePeers peers = filePeers(tmp);
        Path file = tmp.resolve("odd.bin");
        byte[] content = writeRandom(file, (1 << 20) + 12_345);
        FileOffer offer = FileSender.offerFor(file);
        List<Long> written = new CopyOnWriteArrayList<>();
        CompletableFuture<Path> received = receive(peers.receiver(), peers.inbox(), written);
        // Room for one chunk and a byte: the reading worker waits for an acknowledgement before each chunk but the first.
        List<Long> acknowledged = new CopyOnWriteArrayList<>();
        long window = FileProtocol.CHUNK_SIZE + 1;
        FileSender.Options oneChunk = FileSender.Options.defaults().withWindow(window)
                .withProgress(p -> acknowledged.add(p.bytes()));

        FileSender.send(peers.sender(), peers.receiver().nearId(), file, offer, oneChunk).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(received.get(WAIT.toSeconds(), TimeUnit.SECONDS))).isEqualTo(content);
        assertThat(acknowledged).isSorted().last().isEqualTo((long) content.length);
        // No chunk follows the last to carry the writer's position: the end is reported all the same.
        assertThat(written).isSorted().last().isEqualTo((long) content.length);
    }

    @Test
    void aFileThatShrinksWhileTheSendersWorkerReadsItFailsTheTransferAsALocalError(@TempDir Path tmp)
            throws Exception {
        FilePeers peers = filePeers(tmp);
        Path file = tmp.resolve("data.bin");
        writeRandom(file, 8 << 20);
        FileOffer offer = FileSender.offerFor(file);
        open.add(0, FileReceiver.start(peers.receiver(), peers.inbox(), new FileReceiver.Listener() { }));
        // The first report comes once the offer is accepted, before the worker reads anything.
        FileSender.Options cutShort = FileSender.Options.defaults().withWindow(1 << 20).withProgress(p -> {
            if (p.bytes() == 0) {
                try (var ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(2 << 20);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });

        CompletableFuture<FileSender.Result> result = FileSender.send(peers.sender(), peers.receiver().nearId(), file, offer, cutShort);

        assertThat(result).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(FileTransferException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FileTransferException.Reason.LOCAL_IO);
                    assertThat(e.getMessage()).contains("shorter");
                });
    }
}
