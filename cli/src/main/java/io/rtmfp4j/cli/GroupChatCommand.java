package io.rtmfp4j.cli;

import io.rtmfp4j.flash.group.GroupSpec;
import io.rtmfp4j.flash.group.GroupSpecifier;
import io.rtmfp4j.flash.net.RtmfpUri;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rtmfp group chat}: a chat room for many users over a NetGroup's postings. */
@Command(name = "chat", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"A chat room for many users, peer to peer: every line typed is posted to the group and reaches "
                + "every member; lines travel between members, the server only introduces them.",
                "A received line is printed as 'NAME: text', lines starting with '* ' say what happens. Commands: "
                        + GroupChat.WHO + " (members known), " + GroupChat.STATS + " (traffic and neighbors), "
                        + GroupChat.QUIT + " (leave; the end of the input leaves too).",
                "Exits 0 when you leave, 1 when the server cannot be reached or is lost, 2 on misuse."})
final class GroupChatCommand implements Callable<Integer> {
    /** Longest name shown: as long as the server's nicknames. */
    static final int MAX_NAME = 64;

    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "Rendezvous server: rtmfp://host[:port]/app (port 1935 by default).")
    String server;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Group group;

    static final class Group {
        @Option(names = "--group", paramLabel = "NAME",
                description = "The group: members who give the same name (and server) are in the same group.")
        String name;

        @Option(names = "--groupspec", paramLabel = "G:...",
                description = "A raw groupspec instead of a name, for example one made by Flash or librtmfp; "
                        + "it must enable posting.")
        String groupspec;
    }

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Your name, shown with your lines.")
    String name;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "How long the server may take to answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        if (name.isBlank() || name.strip().length() > MAX_NAME || !TerminalText.clean(name).equals(name)) {
            throw new ParameterException(spec.commandLine(),
                    "--name: 1 to " + MAX_NAME + " printable characters, not only spaces");
        }
        try {
            RtmfpUri.parse(server);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--server: " + e.getMessage());
        }
        String groupspec;
        if (group.groupspec != null) {
            try {
                if (!GroupSpec.parse(group.groupspec).postingEnabled()) {
                    throw new ParameterException(spec.commandLine(), "--groupspec: posting is not enabled in it");
                }
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--groupspec: " + e.getMessage());
            }
            groupspec = group.groupspec;
        } else {
            try {
                groupspec = new GroupSpecifier(group.name).setPostingEnabled(true).setRoutingEnabled(true)
                        .setServerChannelEnabled(true).groupspecWithAuthorizations();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--group: " + e.getMessage());
            }
        }
        Charset terminal = Charset.forName(System.getProperty("native.encoding", "UTF-8"));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, terminal));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, terminal));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, terminal));
        GroupChat chat = new GroupChat(server, groupspec, name.strip(), timeout, in, out, err);
        // Interrupted (Ctrl-C): leave properly, so that the others hear it at once.
        Thread leave = new Thread(chat::hangUp, "group-chat-leave");
        Runtime.getRuntime().addShutdownHook(leave);
        int exit = chat.run();
        try {
            Runtime.getRuntime().removeShutdownHook(leave);
        } catch (IllegalStateException shuttingDown) {
            // The hook ran already, or is about to: either way the chat is over.
        }
        return exit;
    }
}
