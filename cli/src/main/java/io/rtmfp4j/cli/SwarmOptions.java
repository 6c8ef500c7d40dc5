package io.rtmfp4j.cli;

import io.rtmfp4j.flash.group.GroupSpecException;
import io.rtmfp4j.flash.group.NetGroup;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.swarm.Swarm;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What 'rtmfp swarm share' and 'rtmfp swarm get' have in common: the group, and how a member joins it. */
final class SwarmOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--group", required = true, paramLabel = "NAME",
            description = "The group: those who give the same name (and server) share files with each other. Each "
                    + "file gets a group of its own within it, named after its swarm ID.")
    String group;

    /**
     * The groupspec of swarm {@code swarmId}.
     *
     * @throws ParameterException if the group's name is not one
     */
    String groupspec(String swarmId) {
        try {
            return Swarm.groupSpecifier(group, swarmId).groupspecWithAuthorizations();
        } catch (GroupSpecException e) {
            throw new ParameterException(command.commandLine(), "--group: " + e.getMessage());
        }
    }

    /**
     * Joins swarm {@code swarmId}'s group over {@code nc}; {@code exit} completes with 1 if the
     * server connection is lost, unless the user stopped the command.
     */
    NetGroup join(NetConnection nc, String swarmId, PeerOptions.Stop stop, CompletableFuture<Integer> exit,
            PrintWriter err) {
        stop.exitOnServerLoss(nc, command.qualifiedName(), exit, err);
        return new NetGroup(nc, groupspec(swarmId));
    }
}
