package io.rtmfp4j.cli;

import io.rtmfp4j.flash.net.RtmfpUri;
import io.rtmfp4j.server.directory.Nickname;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rtmfp chat}: a one-to-one peer-to-peer chat in the terminal, as Flash's P2P chat samples. */
@Command(name = "chat", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"A one-to-one peer-to-peer chat in the terminal. Connects to a rendezvous server under a "
                + "name; with --to, starts a chat with that peer, otherwise waits for the first peer that starts one "
                + "(others are refused while the chat lasts). Messages go directly between the peers.",
                "Each line typed is sent; each line received is printed as 'NAME: text'; lines starting with '* ' "
                        + "say what happens. " + Chat.QUIT + " or the end of the input leaves.",
                "Exits 0 when either side leaves, 1 when the server or the peer cannot be reached, refuses or is "
                        + "lost, 2 on misuse."})
final class ChatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "Rendezvous server: rtmfp://host[:port]/app (port 1935 by default).")
    String server;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "Your name: registered with the server, so others can find you by it, and shown to your peer.")
    String name;

    @Option(names = "--to", paramLabel = "NAME|PEERID",
            description = "Start a chat with this peer: its name, or its peer ID (64 hex digits). "
                    + "Without it, wait for someone to start one.")
    String to;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "How long the server and the peer may take to answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    ReachOptions reach = new ReachOptions();

    @Override
    public Integer call() {
        try {
            // The server's rule, checked here so that a bad name is a usage error, not a rejected connect.
            new Nickname(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--name: " + e.getMessage());
        }
        try {
            RtmfpUri.parse(server);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--server: " + e.getMessage());
        }
        try {
            reach.validate();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (to != null && to.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--to needs a name or a peer ID");
        }
        // The terminal's own encoding, both ways, so names and lines survive the trip.
        Charset terminal = Charset.forName(System.getProperty("native.encoding", "UTF-8"));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, terminal));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, terminal));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, terminal));
        Chat chat = new Chat(new Chat.Settings(server, name, Optional.ofNullable(to), timeout, timeout, reach), in, out, err);
        // Interrupted (Ctrl-C): hang up, so the peer hears at once that we left.
        Thread hangUp = new Thread(chat::hangUp, "chat-hang-up");
        Runtime.getRuntime().addShutdownHook(hangUp);
        int exit = chat.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hangUp);
        } catch (IllegalStateException shuttingDown) {
            // The hook ran already, or is about to: either way the chat is over.
        }
        return exit;
    }
}
