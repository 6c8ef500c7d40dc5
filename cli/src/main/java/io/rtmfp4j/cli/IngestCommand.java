package io.rtmfp4j.cli;

import static io.rtmfp4j.cli.StreamPublishCommand.say;

import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import io.rtmfp4j.flash.net.PeerAddresses;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.rtmp.RtmpServer;
import io.rtmfp4j.rtmp.StreamIngest;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rtmfp ingest}: takes an RTMP publish from OBS or ffmpeg and multicasts it in a group. */
@Command(name = "ingest", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Listens for an RTMP publisher over TCP (OBS, ffmpeg: rtmp://HOST:P/live/S, any app, stream "
                + "name or key S) and multicasts what it publishes in a NetGroup, as 'rtmfp stream publish --group' "
                + "does a file: players give the same group to 'rtmfp stream play'.",
                "One publisher at a time; a client that is not RTMP, plays instead of publishing, publishes another "
                        + "name or comes while another publishes is told why (when it speaks RTMP), logged and "
                        + "disconnected, and the group's stream goes on. When a publisher stops, the group stream "
                        + "stays, and the next publisher's timestamps follow on.",
                "Runs until Ctrl-C. Exits 0 then, 1 when the server cannot be reached or the connection to it is "
                        + "lost, 2 on misuse (a taken --rtmp-port included)."})
final class IngestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StreamConnection connection;

    @Option(names = "--rtmp-port", required = true, paramLabel = "P",
            description = "The TCP port to take RTMP publishers on (1935 is RTMP's; 0 picks a free one and prints it).")
    int rtmpPort;

    @Option(names = "--rtmp-bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for all).")
    String rtmpBind;

    @Option(names = "--name", required = true, paramLabel = "S",
            description = "The stream's name in the group, and the only name RTMP clients may publish.")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    StreamGroup group;

    @Override
    public Integer call() throws Exception {
        connection.validate();
        if (rtmpPort < 0 || rtmpPort > 65535) {
            throw new ParameterException(spec.commandLine(), "--rtmp-port: " + rtmpPort + " is not a port (0 to 65535)");
        }
        InetSocketAddress bind;
        try {
            bind = new InetSocketAddress(InetAddress.getByName(rtmpBind), rtmpPort);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--rtmp-bind: unknown host " + rtmpBind);
        }
        String groupspec = group.groupspec(spec);
        PrintWriter out = spec.commandLine().getOut();
        NetConnection nc = connection.connect(null);
        NetGroup netGroup;
        try {
            netGroup = group.join(nc, groupspec, connection, out, new CompletableFuture<>());
        } catch (CommandFailure | RuntimeException e) {
            nc.close();
            throw e;
        }
        NetStream stream = NetStream.inGroup(nc, netGroup);
        CompletableFuture<NetStatus> lost = new CompletableFuture<>();
        nc.addStatusListener(s -> {
            if (Status.CONNECT_CLOSED.equals(s.code())) {
                lost.complete(s);
            }
        });
        AtomicBoolean interrupted = new AtomicBoolean();
        RtmpServer[] server = new RtmpServer[1];
        Thread hook = new Thread(() -> {
            // Ctrl-C: the players see the stream end, and the connection's end is not a failure.
            interrupted.set(true);
            close(server[0], stream, netGroup, nc);
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            CompletableFuture<NetStatus> publishing = new CompletableFuture<>();
            stream.setHandler(new NetStreamHandler() {
                @Override
                public void onStatus(NetStatus s) {
                    if (Status.PUBLISH_START.equals(s.code())) {
                        publishing.complete(s);
                    } else if (Status.PUBLISH_BAD_NAME.equals(s.code())) {
                        publishing.completeExceptionally(new NetStatusException(s));
                    }
                }
            });
            stream.publish(name);
            connection.await(publishing, "cannot publish '" + name + "'", "publishing did not start");
            try {
                server[0] = RtmpServer.start(bind, new StreamIngest(stream, name));
            } catch (Exception e) {
                if (ErrorText.addressInUse(e)) {
                    throw new ParameterException(spec.commandLine(), "--rtmp-port: cannot listen on TCP "
                            + PeerAddresses.format(bind) + ": address already in use");
                }
                throw new CommandFailure("cannot listen on TCP " + PeerAddresses.format(bind) + ": " + ErrorText.of(e));
            }
            InetSocketAddress listening = server[0].address();
            say(out, "publishing '%s' in %s from RTMP", name, group.describe());
            say(out, "peer ID %s", nc.nearId());
            say(out, "listening for an RTMP publisher on %s: rtmp://%s:%d/live/%s", PeerAddresses.format(listening),
                    listening.getAddress().isAnyLocalAddress() ? "HOST" : listening.getAddress().getHostAddress(),
                    listening.getPort(), name);
            say(out, "play it with: rtmfp stream play --server %s %s --name %s --out FILE", connection.server,
                    group.name != null ? "--group " + group.name : "--groupspec " + group.groupspec, name);
            NetStatus end = lost.join();
            if (interrupted.get()) {
                return 0;
            }
            throw new CommandFailure("lost the server connection: " + end.description());
        } finally {
            close(server[0], stream, netGroup, nc);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run: it closes the same things.
            }
        }
    }

    /** Stops taking RTMP first, so that nothing is written on a stream being closed. */
    private static void close(RtmpServer server, NetStream stream, NetGroup netGroup, NetConnection nc) {
        if (server != null) {
            server.close();
        }
        stream.close();
        netGroup.close();
        nc.close();
    }
}
