package io.rtmfp4j.cli;

import io.rtmfp4j.flash.group.GroupSpecException;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.store.GroupStore;
import io.rtmfp4j.flash.store.StoreEntry;
import io.rtmfp4j.flash.store.WriterKey;
import io.rtmfp4j.flash.tc.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What the 'rtmfp dht' commands have in common: the group, the writer's key, and how a member joins. */
final class DhtOptions {
    /** How long a member that has its first neighbor waits for the others the server named. */
    static final Duration SETTLE = Duration.ofSeconds(2);

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--group", required = true, paramLabel = "NAME",
            description = "The store: those who give the same name (and server) share its entries.")
    String group;

    @Option(names = "--writer-key", paramLabel = "FILE",
            description = "The writer's Ed25519 key, created there if the file does not exist (default: "
                    + "~/.rtmfp/dht-writer.key). Only its holder can change or remove the entries it wrote.")
    Path writerKey;

    @Option(names = "--join-timeout", paramLabel = "DURATION", converter = Durations.class, defaultValue = "10s",
            description = "Give up when no other member is found within this long (default: ${DEFAULT-VALUE}).")
    Duration joinTimeout;

    /**
     * The key a key argument names.
     *
     * @throws ParameterException if it cannot be one
     */
    String key(String key) {
        try {
            StoreEntry.checkKey(key);
            return key;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "KEY: " + e.getMessage());
        }
    }

    WriterKey writer() throws CommandFailure {
        Path file = writerKey != null ? writerKey : Path.of(System.getProperty("user.home"), ".rtmfp", "dht-writer.key");
        try {
            if (writerKey == null) {
                Files.createDirectories(file.getParent());
            }
            return WriterKey.loadOrCreate(file);
        } catch (IOException e) {
            throw new CommandFailure("cannot use the writer key " + file + ": " + ErrorText.of(e));
        }
    }

    /**
     * Joins the store's group over {@code nc}; {@code exit} completes with 1 if the server
     * connection is lost, unless the user stopped the command.
     */
    NetGroup join(NetConnection nc, PeerOptions.Stop stop, CompletableFuture<Integer> exit, PrintWriter err) {
        stop.exitOnServerLoss(nc, command.qualifiedName(), exit, err);
        try {
            return new NetGroup(nc, GroupStore.groupSpecifier(group).groupspecWithAuthorizations());
        } catch (GroupSpecException e) {
            throw new ParameterException(command.commandLine(), "--group: " + e.getMessage());
        }
    }

    /**
     * Waits for the first neighbor, then {@link #SETTLE} for the others: a lone member would take
     * itself for the one nearest every key.
     *
     * @throws CommandFailure if no member is found within {@code --join-timeout}
     */
    void awaitMembers(NetGroup g) throws CommandFailure, InterruptedException {
        CountDownLatch neighbor = new CountDownLatch(1);
        g.addStatusListener(s -> {
            if (Status.GROUP_NEIGHBOR_CONNECT.equals(s.code())) {
                neighbor.countDown();
            }
        });
        if (g.neighbors().isEmpty() && !neighbor.await(joinTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new CommandFailure("no member of store '" + TerminalText.clean(group) + "' found within "
                    + Durations.describe(joinTimeout) + " (is an 'rtmfp dht serve' running?)");
        }
        Thread.sleep(SETTLE.toMillis());
    }

    /** One request of a command that joins for it. */
    @FunctionalInterface
    interface Request {
        /** Makes the request and returns the exit code once it is done. */
        int run(GroupStore store) throws Exception;
    }

    /**
     * Connects, joins the store's group, waits for its members, runs {@code request}, and leaves;
     * as the writer of {@code --writer-key} if {@code writes}, else under a key of the moment.
     *
     * @throws CommandFailure if the server or the members cannot be reached
     */
    int request(PeerOptions peer, boolean writes, Request request) throws Exception {
        WriterKey key = writes ? writer() : WriterKey.generate();
        PrintWriter err = command.commandLine().getErr();
        try (NetConnection nc = peer.connect(null, PeerOptions.CONNECT_TIMEOUT);
                PeerOptions.Stop stop = PeerOptions.closeOnExit(nc)) {
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            NetGroup g = join(nc, stop, exit, err);
            try (GroupStore store = GroupStore.open(g, nc, key, GroupStore.Settings.DEFAULT)) {
                awaitMembers(g);
                return request.run(store);
            } catch (java.util.concurrent.ExecutionException e) {
                if (stop.stopping()) {
                    throw stop.stopped(err, command.qualifiedName(), null);
                }
                throw new CommandFailure(ErrorText.of(e.getCause()));
            } finally {
                g.close();
            }
        }
    }
}
