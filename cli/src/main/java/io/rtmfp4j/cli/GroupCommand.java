package io.rtmfp4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rtmfp group}: applications of peer-to-peer groups (Flash's NetGroup). */
@Command(name = "group", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Peer-to-peer groups, as Flash's NetGroup: members meet through the rendezvous server and then "
                + "talk to each other directly; the server only bootstraps membership.",
                "'chat' is a group chat for many users."},
        subcommands = {GroupChatCommand.class})
final class GroupCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: chat");
    }
}
