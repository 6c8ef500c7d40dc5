package io.rtmfp4j.flash.tc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Status events: the info objects of {@code onStatus}, {@code _result} and {@code _error}, and
 * the {@code info.code} values Flash applications test (spec §6.7). Keeping Flash's strings lets
 * people follow existing Flash tutorials.
 */
public final class Status {
    public static final String LEVEL_STATUS = "status";
    public static final String LEVEL_WARNING = "warning";
    public static final String LEVEL_ERROR = "error";

    public static final String CONNECT_SUCCESS = "NetConnection.Connect.Success";
    public static final String CONNECT_FAILED = "NetConnection.Connect.Failed";
    public static final String CONNECT_REJECTED = "NetConnection.Connect.Rejected";
    public static final String CONNECT_CLOSED = "NetConnection.Connect.Closed";
    public static final String CONNECT_APP_SHUTDOWN = "NetConnection.Connect.AppShutdown";
    public static final String CONNECT_INVALID_APP = "NetConnection.Connect.InvalidApp";
    public static final String CONNECT_IDLE_TIMEOUT = "NetConnection.Connect.IdleTimeout";
    public static final String CALL_FAILED = "NetConnection.Call.Failed";
    /** A call the receiver could not decode (Flash's code for a message in an unidentified format). */
    public static final String CALL_BAD_VERSION = "NetConnection.Call.BadVersion";
    /** rtmfp4j's rendezvous server: {@code lookup} found no connected peer by that nickname or peer ID. */
    public static final String LOOKUP_NOT_FOUND = "NetConnection.Lookup.NotFound";
    /** rtmfp-cpp's tcserver: the client's address as the server sees it changed. */
    public static final String ADDRESS_CHANGE_NOTIFY = "NetConnection.AddressChange.Notify";
    /** rtmfp-cpp's tcserver: the server is shutting down. */
    public static final String SHUTDOWN_NOTIFY = "NetConnection.Shutdown.Notify";
    /** rtmfp-cpp's tcserver: the answer to a connectivity check. */
    /**
     * rtmfp4j's: the server did not answer over UDP in time, so the connection goes on through a
     * TCP tunnel (docs/nat.md, "TCP fallback"); the description says where.
     */
    public static final String CONNECT_TCP_FALLBACK = "NetConnection.Connect.TcpFallback";
    public static final String CONNECTIVITY_CHECK_RESULTS = "NetConnection.ConnectivityCheck.Results";

    public static final String PUBLISH_START = "NetStream.Publish.Start";
    public static final String PUBLISH_BAD_NAME = "NetStream.Publish.BadName";
    public static final String PUBLISH_IDLE = "NetStream.Publish.Idle";
    public static final String UNPUBLISH_SUCCESS = "NetStream.Unpublish.Success";
    public static final String PLAY_START = "NetStream.Play.Start";
    public static final String PLAY_RESET = "NetStream.Play.Reset";
    public static final String PLAY_STOP = "NetStream.Play.Stop";
    public static final String PLAY_FAILED = "NetStream.Play.Failed";
    public static final String PLAY_STREAM_NOT_FOUND = "NetStream.Play.StreamNotFound";
    public static final String PLAY_PUBLISH_NOTIFY = "NetStream.Play.PublishNotify";
    public static final String PLAY_UNPUBLISH_NOTIFY = "NetStream.Play.UnpublishNotify";
    public static final String PAUSE_NOTIFY = "NetStream.Pause.Notify";
    public static final String UNPAUSE_NOTIFY = "NetStream.Unpause.Notify";
    public static final String SEEK_NOTIFY = "NetStream.Seek.Notify";
    /** Direct P2P streams: raised locally by Flash, never sent (spec §6.7). */
    public static final String STREAM_CONNECT_SUCCESS = "NetStream.Connect.Success";
    /** Direct P2P streams: raised locally by Flash, never sent (spec §6.7). */
    public static final String STREAM_CONNECT_CLOSED = "NetStream.Connect.Closed";
    /** Direct P2P streams: raised locally by Flash, never sent (spec §6.7). */
    public static final String STREAM_CONNECT_REJECTED = "NetStream.Connect.Rejected";
    /** Direct P2P streams, raised locally: no session to the publisher could be opened. */
    public static final String STREAM_CONNECT_FAILED = "NetStream.Connect.Failed";

    /** NetGroup (netgroup spec §13): to the NetConnection's listeners, {@code info.group} the NetGroup. */
    public static final String GROUP_CONNECT_SUCCESS = "NetGroup.Connect.Success";
    public static final String GROUP_CONNECT_FAILED = "NetGroup.Connect.Failed";
    public static final String GROUP_CONNECT_REJECTED = "NetGroup.Connect.Rejected";
    /** To the NetGroup's listeners: {@code info.neighbor} (group address), {@code info.peerID}. */
    public static final String GROUP_NEIGHBOR_CONNECT = "NetGroup.Neighbor.Connect";
    public static final String GROUP_NEIGHBOR_DISCONNECT = "NetGroup.Neighbor.Disconnect";
    public static final String GROUP_LOCAL_COVERAGE_NOTIFY = "NetGroup.LocalCoverage.Notify";
    /** {@code info.message}, {@code info.messageID}. */
    public static final String GROUP_POSTING_NOTIFY = "NetGroup.Posting.Notify";
    /** {@code info.message}, {@code info.from}, {@code info.fromLocal}. */
    public static final String GROUP_SEND_TO_NOTIFY = "NetGroup.SendTo.Notify";
    /** A multicast stream was announced in the group for the first time: {@code info.name} (netgroup spec §8.2). */
    public static final String GROUP_MULTICAST_PUBLISH_NOTIFY = "NetGroup.MulticastStream.PublishNotify";
    /** A multicast stream of the group ended: {@code info.name}. */
    public static final String GROUP_MULTICAST_UNPUBLISH_NOTIFY = "NetGroup.MulticastStream.UnpublishNotify";
    /**
     * To a NetStream playing in a group: it now plays another stream published under the same
     * name (a new stream key); what it held of the old one is gone (netgroup spec §13).
     */
    public static final String STREAM_MULTICAST_RESET = "NetStream.MulticastStream.Reset";
    /** Object replication (spec §11): {@code info.index}, just before a request goes out. */
    public static final String GROUP_REPLICATION_FETCH_SEND_NOTIFY = "NetGroup.Replication.Fetch.SendNotify";
    /** {@code info.index}: a request was denied or went unanswered; it is tried again while wanted. */
    public static final String GROUP_REPLICATION_FETCH_FAILED = "NetGroup.Replication.Fetch.Failed";
    /** {@code info.index}, {@code info.object}: a request was satisfied. */
    public static final String GROUP_REPLICATION_FETCH_RESULT = "NetGroup.Replication.Fetch.Result";
    /** {@code info.index}, {@code info.requestID}: a neighbor asks for an object this member has. */
    public static final String GROUP_REPLICATION_REQUEST = "NetGroup.Replication.Request";

    private Status() {
    }

    /**
     * An info object {@code {level, code, description}} in that order; the map is mutable so that
     * callers can add fields such as {@code objectEncoding}.
     */
    public static Map<String, Object> info(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }
}
