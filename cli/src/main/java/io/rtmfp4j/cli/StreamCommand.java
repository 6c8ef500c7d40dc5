package io.rtmfp4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rtmfp stream}: live FLV streams between peers, directly or multicast in a group, as Flash's NetStreams. */
@Command(name = "stream", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Live streams straight from one peer to another (Flash's NetStream.DIRECT_CONNECTIONS): "
                + "the rendezvous server only introduces the peers; no media goes through it.",
                "With --group, a stream is multicast in a NetGroup instead: every player relays it to its neighbors.",
                "'publish' sends an FLV file live, 'play' records a peer's or a group's stream to an FLV file."},
        subcommands = {StreamPublishCommand.class, StreamPlayCommand.class})
final class StreamCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: publish or play");
    }
}
