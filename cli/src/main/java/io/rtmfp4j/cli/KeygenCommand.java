package io.rtmfp4j.cli;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rtmfp keygen}: a new peer identity (static DH keys; the peer ID is bound to them, RFC 7425 §4.3.4). */
@Command(name = "keygen", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Creates a new peer identity: static Diffie-Hellman keys and the certificate whose "
                + "SHA-256 is the peer ID.", "With --server, an identity for 'rtmfp server --identity': the "
                + "server's certificate, which names the DH groups it offers, so that its peer ID stays the same "
                + "across restarts; it still keys every session with fresh DH keys.",
                "Prints it, or writes it to --out (readable by the owner only)."})
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--flash", description = "A Flash Player-like identity: one group-2 key, 132-byte certificate.")
    boolean flash;

    @Option(names = "--server", description = "A rendezvous server's identity (for 'rtmfp server --identity').")
    boolean server;

    @Option(names = "--dh-groups", split = ",", paramLabel = "G", defaultValue = "16,14,2",
            converter = DhGroupConverter.class,
            description = "Groups to make keys for, preferred first (default: ${DEFAULT-VALUE}).")
    List<DhGroup> groups;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the identity to FILE instead of printing it.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (flash && server) {
            throw new ParameterException(spec.commandLine(), "--flash and --server exclude each other");
        }
        SecureRandom random = new SecureRandom();
        PeerIdentity identity = flash ? PeerIdentity.newFlashClient(random)
                : server ? PeerIdentity.newServer(Optional.empty(), groups, random)
                : PeerIdentity.newStatic(Optional.empty(), groups, random);
        PrintWriter stdout = spec.commandLine().getOut();
        String text = identity.store();
        if (out == null) {
            stdout.print(text);
        } else {
            if (Files.exists(out)) {
                throw new CommandFailure(out + " already exists; not overwriting an identity");
            }
            try {
                Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(out, text, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw new CommandFailure("cannot write " + out + ": " + ErrorText.of(e));
            }
            stdout.println("peer ID " + identity.certificate().peerId());
            stdout.println("written to " + out);
        }
        stdout.flush();
        return 0;
    }
}
