package io.rtmfp4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rtmfp swarm}: a file shared by a group's members, each fetching chunks from all the others. */
@Command(name = "swarm", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Swarming file download over NetGroup object replication, as BitTorrent: 'share' offers a "
                + "file and prints its swarm ID (the SHA-256 of its manifest: size and per-chunk SHA-256); 'get' "
                + "fetches it from every member that has chunks, checks each chunk, and serves what it has meanwhile."},
        subcommands = {SwarmShareCommand.class, SwarmGetCommand.class})
final class SwarmCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: share or get");
    }
}
