package io.rtmfp4j.runtime;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Datagrams the kernel dropped on a socket before the endpoint read them (its receive buffer was
 * full), as Linux counts them in the {@code drops} column of {@code /proc/net/udp} and
 * {@code /proc/net/udp6}, found by the socket's inode. Elsewhere, and for sockets whose file
 * descriptor Netty does not expose (NIO), there is no such count.
 */
final class KernelUdpDrops {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
    /** Columns of a table row: sl, local, remote, st, tx:rx queues, tr:when, retrnsmt, uid, timeout, inode, ref, pointer, drops. */
    private static final int INODE_COLUMN = 9;
    private static final int DROPS_COLUMN = 12;

    private KernelUdpDrops() {
    }

    /** The inode of the channel's socket, read through {@code /proc/self/fd}; empty where it cannot be known. */
    static OptionalLong inode(Channel channel) {
        if (!(channel instanceof EpollDatagramChannel epoll)) {
            return OptionalLong.empty();
        }
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + epoll.fd().intValue())).toString();
            Matcher m = SOCKET_LINK.matcher(link);
            return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return OptionalLong.empty();
        }
    }

    /** The kernel's drop count of the socket with this inode; empty if no table lists it. */
    static OptionalLong drops(long inode) {
        for (Path table : TABLES) {
            try {
                OptionalLong found = drops(Files.readAllLines(table), inode);
                if (found.isPresent()) {
                    return found;
                }
            } catch (IOException e) {
                // No such table here (not Linux, or no IPv6): nothing to count.
            }
        }
        return OptionalLong.empty();
    }

    /** The drop count on the row of {@code inode} in the lines of one table, header included. */
    static OptionalLong drops(List<String> lines, long inode) {
        String wanted = Long.toString(inode);
        for (int i = 1; i < lines.size(); i++) {
            String[] columns = lines.get(i).trim().split("\\s+");
            if (columns.length > DROPS_COLUMN && columns[INODE_COLUMN].equals(wanted)) {
                try {
                    return OptionalLong.of(Long.parseLong(columns[DROPS_COLUMN]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}
