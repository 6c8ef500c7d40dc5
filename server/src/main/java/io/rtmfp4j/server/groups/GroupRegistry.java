package io.rtmfp4j.server.groups;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** The groups with at least one member, by group ID. Owned by the server's loop thread. */
public final class GroupRegistry {
    private final Map<String, Group> groups = new HashMap<>();

    public Group.Announcements join(String groupId, String peerId) {
        return groups.computeIfAbsent(groupId, Group::new).join(peerId);
    }

    public Group.Announcements leave(String groupId, String peerId) {
        Group g = groups.get(groupId);
        if (g == null) {
            return Group.Announcements.NONE;
        }
        Group.Announcements a = g.leave(peerId);
        if (g.size() == 0) {
            groups.remove(groupId);
        }
        return a;
    }

    public Collection<Group> groups() {
        return Collections.unmodifiableCollection(groups.values());
    }

    public int size() {
        return groups.size();
    }
}
