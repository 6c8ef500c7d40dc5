package io.rtmfp4j.cli;

import static io.rtmfp4j.cli.StreamPublishCommand.say;

import io.rtmfp4j.flash.group.GroupSpec;
import io.rtmfp4j.flash.group.GroupSpecifier;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStatusException;
import io.rtmfp4j.flash.tc.Status;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The group a stream is multicast in ({@code stream publish} and {@code stream play} with
 * {@code --group} or {@code --groupspec}): members that give the same name to the same server
 * are in one group; a raw groupspec reaches a group made by Flash or librtmfp.
 */
final class StreamGroup {
    @Option(names = "--group", paramLabel = "NAME",
            description = "Multicast the stream in this group: every player relays it to its neighbors.")
    String name;

    @Option(names = "--groupspec", paramLabel = "G:...",
            description = "A raw groupspec instead of a group name, for example librtmfp's; it must enable multicast.")
    String groupspec;

    /** The groupspec to join; a name or groupspec that cannot be one is misuse. */
    String groupspec(CommandSpec command) {
        if (groupspec != null) {
            try {
                if (!GroupSpec.parse(groupspec).multicastEnabled()) {
                    throw new ParameterException(command.commandLine(), "--groupspec: multicast is not enabled in it");
                }
            } catch (IllegalArgumentException e) {
                throw new ParameterException(command.commandLine(), "--groupspec: " + e.getMessage());
            }
            return groupspec;
        }
        try {
            return new GroupSpecifier(name).setMulticastEnabled(true).setServerChannelEnabled(true)
                    .groupspecWithAuthorizations();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--group: " + e.getMessage());
        }
    }

    /** What the group is called in messages. */
    String describe() {
        return name != null ? "group '" + name + "'" : "the group " + groupspec;
    }

    /**
     * Joins the group {@code groupspec} on {@code nc}, waiting as long as {@code connection}
     * allows; its members joining and leaving are logged to {@code out}, and the first one
     * completes {@code firstMember}. The group is left again if joining fails.
     */
    NetGroup join(NetConnection nc, String groupspec, StreamConnection connection, PrintWriter out,
            CompletableFuture<NetStatus> firstMember) throws CommandFailure, InterruptedException {
        NetGroup netGroup = new NetGroup(nc, groupspec);
        CompletableFuture<NetStatus> joined = new CompletableFuture<>();
        netGroup.addStatusListener(s -> {
            switch (s.code()) {
                case Status.GROUP_CONNECT_SUCCESS -> joined.complete(s);
                case Status.GROUP_CONNECT_FAILED, Status.GROUP_CONNECT_REJECTED ->
                        joined.completeExceptionally(new NetStatusException(s));
                case Status.GROUP_NEIGHBOR_CONNECT -> {
                    say(out, "member %s joined", s.info().get("peerID"));
                    firstMember.complete(s);
                }
                case Status.GROUP_NEIGHBOR_DISCONNECT -> say(out, "member %s left", s.info().get("peerID"));
                default -> {
                    // Coverage and the group's other events say nothing the user needs.
                }
            }
        });
        try {
            connection.await(joined, "cannot join " + describe(), "could not join " + describe());
        } catch (CommandFailure | InterruptedException e) {
            netGroup.close();
            throw e;
        }
        return netGroup;
    }
}
