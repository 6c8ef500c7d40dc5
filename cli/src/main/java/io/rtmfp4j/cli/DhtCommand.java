package io.rtmfp4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rtmfp dht}: a key-value store kept by the members of a group. */
@Command(name = "dht", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"A key-value store on NetGroup directed routing, as Kademlia: each entry is kept by the 3 "
                + "members nearest the SHA-256 of its key and signed by its writer. 'serve' stays a member and "
                + "keeps entries; 'put', 'get' and 'remove' join for one request."},
        subcommands = {DhtServeCommand.class, DhtPutCommand.class, DhtGetCommand.class, DhtRemoveCommand.class})
final class DhtCommand implements Runnable {
    /** The exit code of a lookup that found nothing. */
    static final int EXIT_NOT_FOUND = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: serve, put, get or remove");
    }
}
