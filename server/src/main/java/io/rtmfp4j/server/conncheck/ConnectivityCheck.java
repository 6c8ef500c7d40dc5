package io.rtmfp4j.server.conncheck;

import io.rtmfp4j.core.chunk.Chunk;
import io.rtmfp4j.core.chunk.IHello;
import io.rtmfp4j.core.chunk.RHello;
import io.rtmfp4j.core.crypto.EndpointDiscriminator;
import io.rtmfp4j.core.crypto.PacketProtection;
import io.rtmfp4j.core.packet.Packet;
import io.rtmfp4j.core.packet.PacketMode;
import io.rtmfp4j.core.session.Session;
import io.rtmfp4j.core.wire.Address;
import io.rtmfp4j.core.wire.ByteWriter;
import io.rtmfp4j.core.wire.WireFormatException;
import io.rtmfp4j.flash.net.PeerAddresses;
import io.rtmfp4j.flash.tc.Status;
import io.rtmfp4j.runtime.RawUdpSocket;
import io.rtmfp4j.runtime.UdpEndpoint;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connectivity check of rtmfp-cpp's {@code conncheck}, on the rendezvous server (docs/nat.md,
 * "nat-check"): when a connected client reports its addresses ({@code setPeerInfo}), IHellos for
 * it come from another port of the server's address, from another address, and, forwarded
 * through its session, with a third address to answer to. Which of them the client answers (with
 * an RHello the probe sockets catch by its tag), and from where, says what its NATs let through;
 * the results go to the client as {@code NetConnection.ConnectivityCheck.Results}, with the same
 * fields as conncheck's, so either server gives a client the same answer.
 *
 * <p>Runs on the server endpoint's loop; the probe sockets are raw sockets on it.
 */
public final class ConnectivityCheck {
    private static final int TAG_LENGTH = 32;

    /** The client being checked, as the server knows it. */
    public interface Subject {
        Session session();

        /** The addresses it reported with setPeerInfo. */
        List<InetSocketAddress> reported();

        /** Sends it the results (an onStatus info object). */
        void report(Map<String, Object> info);
    }

    private final UdpEndpoint udp;
    private final ConnectivityCheckConfig config;
    private final RawUdpSocket differentPort;
    private final RawUdpSocket differentAddress;
    private final RawUdpSocket intro;
    private final InetSocketAddress introReply;
    private final SecureRandom random = new SecureRandom();
    private final PacketProtection startup = PacketProtection.startup();
    private final Map<ByteBuffer, Check> byTag = new HashMap<>();

    private ConnectivityCheck(UdpEndpoint udp, ConnectivityCheckConfig config, RawUdpSocket differentPort,
            RawUdpSocket differentAddress, RawUdpSocket intro) {
        this.udp = udp;
        this.config = config;
        this.differentPort = differentPort;
        this.differentAddress = differentAddress;
        this.intro = intro;
        this.introReply = intro == null ? null
                : config.introPublic() != null ? config.introPublic() : intro.localAddress();
    }

    /**
     * Binds the probe sockets beside {@code udp}'s first address and starts answering. Blocks
     * until bound; call off the loop.
     */
    public static ConnectivityCheck open(UdpEndpoint udp, ConnectivityCheckConfig config) {
        Receiver receiver = new Receiver();
        InetSocketAddress main = udp.localAddresses().get(0);
        RawUdpSocket port = udp.bindRaw(new InetSocketAddress(main.getAddress(), config.differentPort()), receiver)
                .join();
        RawUdpSocket address = config.differentAddress() == null ? null
                : udp.bindRaw(config.differentAddress(), receiver).join();
        RawUdpSocket introSocket = config.intro() == null ? null : udp.bindRaw(config.intro(), receiver).join();
        ConnectivityCheck check = new ConnectivityCheck(udp, config, port, address, introSocket);
        receiver.check = check;
        return check;
    }

    /** Hands the probe sockets' datagrams to the check, which exists only once they are bound. */
    private static final class Receiver implements RawUdpSocket.Receiver {
        private ConnectivityCheck check;

        @Override
        public void onDatagram(RawUdpSocket socket, InetSocketAddress from, byte[] data, int off, int len) {
            if (check != null) {
                check.onDatagram(socket, from, data, off, len);
            }
        }
    }

    /** The address of the probe from the server's second port. */
    public InetSocketAddress differentPortAddress() {
        return differentPort.localAddress();
    }

    /** Checks {@code subject} once; the results follow within about {@code tries} round-trip timeouts. */
    public void start(Subject subject) {
        Session s = subject.session();
        if (s.farCertificate().isEmpty()) {
            return;
        }
        byte[] tag = new byte[TAG_LENGTH];
        random.nextBytes(tag);
        Check c = new Check(subject, EndpointDiscriminator.canonical(s.farCertificate().get()), tag,
                s.destination(), s.rtt().erto());
        byTag.put(ByteBuffer.wrap(tag), c);
        long offset = config.offset().toNanos() / 1000;
        c.probe(differentPort, 0, offset);
        if (differentAddress != null) {
            c.probe(differentAddress, 0, 2 * offset);
        }
        if (intro != null) {
            c.probe(intro, 0, 3 * offset);
        }
        udp.schedule(3 * offset + c.rto * config.tries(), e -> c.finish());
    }

    private void onDatagram(RawUdpSocket socket, InetSocketAddress from, byte[] data, int off, int len) {
        RHello hello = rhello(data, off, len);
        if (hello == null) {
            return;
        }
        Check c = byTag.get(ByteBuffer.wrap(hello.tagEcho()));
        if (c != null) {
            c.returned(socket, from);
        }
    }

    /** The RHello in a startup packet, or null for anything else. */
    private RHello rhello(byte[] data, int off, int len) {
        if (len < 20 || PacketProtection.unscrambleSsid(data, off, len) != 0) {
            return null;
        }
        try {
            byte[] clear = startup.open(data, off, len);
            Packet p = Packet.decode(clear, 0, clear.length);
            for (Chunk chunk : p.chunks()) {
                return chunk instanceof RHello r ? r : null;
            }
        } catch (WireFormatException e) {
            // Not an answer to a probe: ignored, as the server ignores noise.
        }
        return null;
    }

    private byte[] ihello(byte[] epd, byte[] tag) {
        Packet p = new Packet(false, false, PacketMode.STARTUP, (int) ((udp.now() / 4000) & 0xffff),
                Packet.NO_TIMESTAMP, List.of(new IHello(epd, tag)));
        ByteWriter w = new ByteWriter(p.encodedSize());
        p.encode(w);
        return startup.seal(0, w.array(), 0, w.size());
    }

    /** One client's check. */
    private final class Check {
        final Subject subject;
        final byte[] epd;
        final byte[] tag;
        final InetSocketAddress observed;
        final long rto;
        boolean samePortReturned;
        boolean otherAddressReturned;
        InetSocketAddress introReturnedFrom;
        boolean done;

        Check(Subject subject, byte[] epd, byte[] tag, InetSocketAddress observed, long rto) {
            this.subject = subject;
            this.epd = epd;
            this.tag = tag;
            this.observed = observed;
            this.rto = rto;
        }

        /** Sends probe {@code sent} from {@code socket} after {@code delay}, then again every rto until answered. */
        void probe(RawUdpSocket socket, int sent, long delay) {
            udp.schedule(delay, e -> {
                if (done || answered(socket) || sent >= config.tries()) {
                    return;
                }
                if (socket == intro) {
                    subject.session().forwardHello(epd, new Address(introReply, Address.Origin.REPORTED), tag,
                            udp.now());
                } else {
                    byte[] packet = ihello(epd, tag);
                    socket.write(observed, packet, 0, packet.length);
                    socket.flush();
                }
                probe(socket, sent + 1, rto);
            });
        }

        boolean answered(RawUdpSocket socket) {
            return socket == differentPort ? samePortReturned
                    : socket == differentAddress ? otherAddressReturned : introReturnedFrom != null;
        }

        void returned(RawUdpSocket socket, InetSocketAddress from) {
            if (socket == differentPort) {
                samePortReturned = true;
            } else if (socket == differentAddress) {
                otherAddressReturned = true;
            } else if (introReturnedFrom == null) {
                introReturnedFrom = from;
            }
            if (samePortReturned && (differentAddress == null || otherAddressReturned)
                    && (intro == null || introReturnedFrom != null)) {
                finish();
            }
        }

        /** The results, in conncheck's fields; null where a probe was not made. */
        void finish() {
            if (done) {
                return;
            }
            done = true;
            byTag.remove(ByteBuffer.wrap(tag));
            List<InetSocketAddress> reported = subject.reported();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("level", Status.LEVEL_STATUS);
            info.put("code", Status.CONNECTIVITY_CHECK_RESULTS);
            info.put("description", "Connectivity Check results");
            info.put("publicAddress", PeerAddresses.format(observed));
            info.put("publicAddressIsLocal", reported.isEmpty() ? null : reported.contains(observed));
            info.put("publicPortMatchesLocalPort", reported.isEmpty() ? null
                    : reported.stream().anyMatch(a -> a.getPort() == observed.getPort()));
            info.put("receiveSameAddressDifferentPortAllowed", samePortReturned);
            info.put("receiveDifferentAddressDifferentPortAllowed", differentAddress == null ? null : otherAddressReturned);
            boolean introduced = introReturnedFrom != null;
            info.put("sendAfterIntroductionAllowed", intro == null ? null : introduced);
            // conncheck compares the whole address, IP and port, whatever its name says (checked
            // with tcconn behind a symmetric NAT in the NAT lab, docs/nat.md): so do we, for the same results.
            info.put("sendAfterIntroductionPreservesSourceAddress", intro == null ? null
                    : introduced && introReturnedFrom.equals(observed));
            info.put("sendAfterIntroductionPreservesSourcePort", intro == null ? null
                    : introduced && introReturnedFrom.getPort() == observed.getPort());
            subject.report(info);
        }
    }

    /** Closes the probe sockets. */
    public void close() {
        for (RawUdpSocket s : new RawUdpSocket[] {differentPort, differentAddress, intro}) {
            if (s != null) {
                s.close();
            }
        }
    }
}
