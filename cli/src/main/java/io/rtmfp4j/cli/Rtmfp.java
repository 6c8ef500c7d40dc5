package io.rtmfp4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rtmfp} command. */
@Command(name = "rtmfp",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "RTMFP (RFC 7016) peer-to-peer platform: rendezvous server, tools and benchmarks.",
        subcommands = {ServerCommand.class, PingCommand.class, ChatCommand.class, SendCommand.class,
                ReceiveCommand.class, StreamCommand.class, NatCheckCommand.class, KeygenCommand.class, TokenCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Rtmfp implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        try {
            ConfigFile.install(cl, args);
        } catch (CommandLine.ParameterException e) {
            cl.getErr().println("rtmfp: " + e.getMessage());
            System.exit(2);
        }
        System.exit(cl.execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Rtmfp());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("rtmfp " + cmd.getCommandName() + ": " + ex.getMessage());
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
