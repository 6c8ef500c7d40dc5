package io.rtmfp4j.server.redirect;

import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.session.CloseReason;
import io.rtmfp4j.core.session.ConnectListener;
import io.rtmfp4j.core.session.Endpoint;
import io.rtmfp4j.core.session.EndpointListener;
import io.rtmfp4j.core.session.FlowRouter;
import io.rtmfp4j.core.session.ReceiveFlow;
import io.rtmfp4j.core.session.SendFlow;
import io.rtmfp4j.core.session.SendFlowListener;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.net.PeerAddresses;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's registration with a redirector (load balancer) over rtmfp-cpp's protocol (spec §7.4),
 * from the server's own endpoint, so that the redirector observes the address clients reach: a
 * session to the redirector's hostname, one flow carrying the password proof, the settings
 * (redirect to the address you observe, and these) and the load factor whenever it changes. The
 * redirector forwards IHellos through the session, which the endpoint answers with an RHello, as
 * for any server it is connected to; a session lost is opened again after {@link #RETRY_MICROS}.
 * rtmfp-cpp's {@code redirector} and {@code rtmfp redirector} both take it. Loop thread only.
 */
public final class RedirectorRegistration implements EndpointListener {
    private static final Logger log = LoggerFactory.getLogger("rtmfp.server");
    /** rtmfp-cpp's clients wait as long between attempts. */
    static final long RETRY_MICROS = 5_000_000;

    /**
     * Where and how to register.
     *
     * @param hostname   the redirector certificate's hostname, which the session asks for
     * @param addresses  where the redirector listens
     * @param advertise  addresses to redirect clients to, besides the one the redirector observes
     * @param keyId      the key ID of the password, or null without a password
     * @param password   the password
     */
    public record Target(String hostname, List<InetSocketAddress> addresses, List<InetSocketAddress> advertise,
            byte[] keyId, byte[] password) {
        public Target {
            Objects.requireNonNull(hostname, "hostname");
            addresses = List.copyOf(addresses);
            advertise = List.copyOf(advertise);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("a redirector needs an address");
            }
        }

        @Override
        public String toString() {
            return hostname + "@" + addresses.stream().map(PeerAddresses::format).toList();
        }
    }

    private final Endpoint endpoint;
    private final Target target;
    private final IntSupplier load;
    private Session session;
    private SendFlow flow;
    private boolean connecting;
    private long retryAt;
    private long sentLoad = -1;
    private InetSocketAddress reflexive;

    /** Starts registering; {@code load} is read on every {@link #onTick} (live sessions, say). */
    public RedirectorRegistration(Endpoint endpoint, FlowRouter router, Target target, IntSupplier load) {
        this.endpoint = endpoint;
        this.target = target;
        this.load = load;
        router.route(RedirectorMessage.METADATA, s -> s == session, this::onReturnFlow);
        router.watch(this);
        connect();
    }

    /** The address the redirector last said it observes for us, or null. */
    public InetSocketAddress reflexiveAddress() {
        return reflexive;
    }

    /** Whether the registration flow is open. */
    public boolean registered() {
        return flow != null && flow.state() == SendFlow.State.OPEN;
    }

    /** Sends the load factor when it changed, and reconnects after a loss; call about once a second. */
    public void onTick(long nowMicros) {
        if (registered()) {
            sendLoad();
        } else if (!connecting && session == null && nowMicros >= retryAt) {
            connect();
        }
    }

    private void connect() {
        connecting = true;
        endpoint.connect(new EndpointDiscriminator(java.util.Optional.of(target.hostname()), java.util.Optional.empty(),
                java.util.Optional.empty()), target.addresses(), endpoint.now(), new ConnectListener() {
                    @Override
                    public void onOpen(Session s) {
                        connecting = false;
                        session = s;
                        register(s);
                    }

                    @Override
                    public void onFailure(CloseReason reason) {
                        connecting = false;
                        retryAt = endpoint.now() + RETRY_MICROS;
                        log.atWarn().addKeyValue("redirector", target).addKeyValue("reason", reason)
                                .log("could not reach the redirector; trying again");
                    }
                });
    }

    private void register(Session s) {
        flow = s.openFlow(RedirectorMessage.METADATA);
        flow.setListener(new SendFlowListener() {
            @Override
            public void onException(SendFlow f, long code) {
                log.atError().addKeyValue("redirector", target).addKeyValue("code", code)
                        .log(code == RedirectorMessage.EXCEPTION_BAD_AUTH ? "the redirector refused the password"
                                : "the redirector refused the registration");
                s.close(endpoint.now());
            }
        });
        if (target.keyId() != null) {
            byte[] nonce = s.security().orElseThrow().keys().farNonce();
            flow.write(RedirectorMessage.SimpleAuth.of(target.keyId(), target.password(), nonce).encode());
        }
        List<Address> advertise = target.advertise().stream()
                .map(a -> new Address(a, Address.Origin.REPORTED)).toList();
        flow.write(new RedirectorMessage.Settings(true, advertise).encode());
        sentLoad = -1;
        sendLoad();
        log.atInfo().addKeyValue("redirector", target).addKeyValue("address", PeerAddresses.format(s.destination()))
                .log("sent the registration to the redirector");
    }

    private void sendLoad() {
        long now = load.getAsInt();
        if (now != sentLoad) {
            flow.write(new RedirectorMessage.LoadFactor(now).encode());
            sentLoad = now;
        }
    }

    private void onReturnFlow(ReceiveFlow f) {
        f.accept((in, message) -> {
            try {
                if (RedirectorMessage.decode(message) instanceof RedirectorMessage.ReflexiveAddress r) {
                    reflexive = r.address().socketAddress();
                    log.atInfo().addKeyValue("redirector", target).addKeyValue("reflexive", PeerAddresses.format(reflexive))
                            .log("the redirector observes this server at an address");
                }
            } catch (WireFormatException e) {
                log.debug("ignored a redirector message that did not decode: {}", e.getMessage());
            }
        });
    }

    @Override
    public void onSessionClosed(Session s, CloseReason reason) {
        if (s == session) {
            session = null;
            flow = null;
            retryAt = endpoint.now() + RETRY_MICROS;
            log.atWarn().addKeyValue("redirector", target).addKeyValue("reason", reason)
                    .log("lost the redirector; registering again");
        }
    }
}
