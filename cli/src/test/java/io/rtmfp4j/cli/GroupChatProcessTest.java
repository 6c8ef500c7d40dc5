package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code rtmfp group chat} with ten members, each its own process, through {@code rtmfp server} on loopback. */
class GroupChatProcessTest {
    static final int MEMBERS = 10;
    /** A bound for what a loaded two-core machine takes, not a timing: ten JVMs start and join. */
    static final Duration WAIT = Duration.ofSeconds(120);
    final CliProcesses cli = new CliProcesses();

    @AfterEach
    void stop() throws InterruptedException {
        cli.close();
    }

    /** A member: what it prints, line by line, and its keyboard. */
    record Member(Process process, Lines out, Lines err, Writer keyboard) {
        void type(String line) throws IOException {
            keyboard.write(line + "\n");
            keyboard.flush();
        }
    }

    Member member(String url, String name) throws IOException {
        Process p = cli.start("group", "chat", "--server", url, "--group", "room", "--name", name, "--timeout", "60s");
        return new Member(p, Lines.of(p.getInputStream()), Lines.of(p.getErrorStream()),
                new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
    }

    @Test
    void tenMembersEachGetEveryLineOfEveryOtherAndSeeOneLeave() throws Exception {
        String url = "rtmfp://127.0.0.1:" + cli.startServer() + "/groups";
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(member(url, "m" + i));
        }
        for (Member m : members) {
            m.out().await("* joined the group as", WAIT);
        }
        // Every member is a neighbor of every other in a group this small: wait until each says so.
        for (Member m : members) {
            m.out().await(l -> l.endsWith(" joined") && l.startsWith("* "), MEMBERS - 1, WAIT);
        }
        for (int i = 0; i < MEMBERS; i++) {
            members.get(i).type("hello from m" + i + " ✓");
        }
        for (int i = 0; i < MEMBERS; i++) {
            int self = i;
            List<String> expected = IntStream.range(0, MEMBERS).filter(j -> j != self)
                    .mapToObj(j -> "m" + j + ": hello from m" + j + " ✓").toList();
            assertThat(members.get(i).out().await(l -> l.contains(": hello from m"), MEMBERS - 1, WAIT))
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        members.get(0).type("/who");
        assertThat(members.get(0).out().await("* 9 members known besides you", WAIT))
                .contains("m1, m2, m3, m4, m5, m6, m7, m8, m9");

        members.get(3).type("/quit");
        assertThat(members.get(3).process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(members.get(3).process().exitValue()).isZero();
        for (Member m : members) {
            if (m != members.get(3)) {
                m.out().await("* m3 left", WAIT);
            }
        }
        members.get(0).type("/stats");
        assertThat(members.get(0).out().await("* 8 neighbors", WAIT)).contains("posting");
        members.remove(3);
        for (Member m : members) {
            m.type("/quit");
        }
        for (Member m : members) {
            assertThat(m.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(m.process().exitValue()).isZero();
            assertThat(m.err().untilEnd(WAIT)).isEmpty();
        }
    }
}
