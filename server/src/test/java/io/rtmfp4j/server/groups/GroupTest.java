package io.rtmfp4j.server.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.wire.Hex;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GroupTest {

    static String peer(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return Hex.encode(b);
    }

    @Test
    void smallGroupsTellEveryoneAboutEveryone() {
        Random r = new Random(1);
        Group g = new Group("g");
        String a = peer(r);
        String b = peer(r);
        String c = peer(r);

        assertThat(g.join(a).toNewcomer()).isEmpty();
        Group.Announcements second = g.join(b);
        assertThat(second.toNewcomer()).containsExactly(a);
        assertThat(second.toMembers()).containsOnlyKeys(a);
        Group.Announcements third = g.join(c);
        assertThat(third.toNewcomer()).containsExactlyInAnyOrder(a, b);
        assertThat(third.toMembers()).containsOnlyKeys(a, b);
        assertThat(g.join(c)).isEqualTo(Group.Announcements.NONE);
    }

    @Test
    void aNewcomerToALargeGroupHearsOfAFewDozenPeersAtMost() {
        Random r = new Random(2);
        Group g = new Group("g");
        for (int i = 0; i < 10_000; i++) {
            g.join(peer(r));
        }
        Group.Announcements a = g.join(peer(r));
        // 3 + 3 ring neighbours and about log2(10000) - 2 long links.
        assertThat(a.toNewcomer().size()).isBetween(6, 6 + 14);
        assertThat(a.toMembers()).hasSize(6);
    }

    /**
     * Whatever the order of joins and leaves, the members form one connected graph when every
     * announcement becomes a link, which is what clients do with them (netgroup spec §4.2).
     */
    @Property(tries = 60)
    void membersStayConnectedThroughChurn(@ForAll @IntRange(min = 2, max = 300) int joins,
            @ForAll @IntRange(min = 0, max = 100) int leavePercent, @ForAll long seed) {
        Random r = new Random(seed);
        Group g = new Group("g");
        Map<String, Set<String>> links = new HashMap<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < joins; i++) {
            String p = peer(r);
            Group.Announcements a = g.join(p);
            links.put(p, new HashSet<>());
            a.toNewcomer().forEach(q -> link(links, p, q));
            a.toMembers().forEach((m, told) -> told.forEach(q -> link(links, m, q)));
            members.add(p);
            if (members.size() > 2 && r.nextInt(100) < leavePercent / 2) {
                String gone = members.remove(r.nextInt(members.size()));
                g.leave(gone).toMembers().forEach((m, told) -> told.forEach(q -> link(links, m, q)));
                links.remove(gone);
                links.values().forEach(s -> s.remove(gone));
            }
        }
        assertThat(g.size()).isEqualTo(members.size());
        assertThat(reachable(links, members.get(0))).containsExactlyInAnyOrderElementsOf(members);
    }

    private static void link(Map<String, Set<String>> links, String a, String b) {
        links.get(a).add(b);
        links.get(b).add(a);
    }

    private static Set<String> reachable(Map<String, Set<String>> links, String from) {
        Set<String> seen = new HashSet<>(List.of(from));
        ArrayDeque<String> todo = new ArrayDeque<>(seen);
        while (!todo.isEmpty()) {
            for (String n : links.get(todo.poll())) {
                if (seen.add(n)) {
                    todo.add(n);
                }
            }
        }
        return seen;
    }

    @Test
    void theRegistryForgetsEmptyGroups() {
        Random r = new Random(3);
        GroupRegistry reg = new GroupRegistry();
        String a = peer(r);
        reg.join("g1", a);
        assertThat(reg.size()).isEqualTo(1);
        reg.leave("g1", a);
        assertThat(reg.size()).isZero();
        assertThat(reg.leave("g1", a)).isEqualTo(Group.Announcements.NONE);
    }
}
