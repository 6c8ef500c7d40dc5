package io.rtmfp4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rtmfp} command.
 *
 * <p>Every error is reported in one style: {@code rtmfp COMMAND: message} on one line of the
 * error output. Misuse (a bad option, URL or value) adds one line pointing to the command's
 * {@code --help} and exits 2; a command that cannot do its job exits 1 (or the code its help
 * documents).
 */
@Command(name = "rtmfp",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "RTMFP (RFC 7016) peer-to-peer platform: rendezvous server, tools and benchmarks.",
        subcommands = {ServerCommand.class, RedirectorCommand.class, PingCommand.class, ChatCommand.class,
                GroupCommand.class, SendCommand.class, ReceiveCommand.class, StreamCommand.class, IngestCommand.class,
                SwarmCommand.class, DhtCommand.class, NatCheckCommand.class, KeygenCommand.class, TokenCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Rtmfp implements Runnable {
    /** The exit code of misuse. */
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        try {
            ConfigFile.install(cl, args);
        } catch (CommandLine.ParameterException e) {
            System.exit(usage(e));
        }
        System.exit(cl.execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Rtmfp());
        cl.setParameterExceptionHandler((e, args) -> usage(e));
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof CommandFailure f && !f.unreported()) {
                return f.exitCode();
            }
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": "
                    + (ex instanceof CommandFailure ? ex.getMessage() : ErrorText.of(ex)));
            err.flush();
            return ex instanceof CommandFailure f ? f.exitCode() : CommandFailure.FAILED;
        });
        return cl;
    }

    /** Misuse: what is wrong on one line, where to read more on the next; exit 2. */
    private static int usage(CommandLine.ParameterException e) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        PrintWriter err = cmd.getErr();
        // picocli's own messages may go on with suggestions on further lines: the first says what is wrong.
        err.println(name + ": " + TerminalText.clean(String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
