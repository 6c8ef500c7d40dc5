import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.flash.net.NetStatus;
import io.rtmfp4j.flash.net.NetStream;
import io.rtmfp4j.flash.net.NetStreamHandler;
import java.util.List;
import java.util.concurrent.CountDownLatch;

public class Hello {
    public static void main(String[] args) throws Exception {
        String server = args.length > 0 ? args[0] : "rtmfp://127.0.0.1/demo";
        try (NetConnection alice = NetConnection.builder().nickname("alice").build();
             NetConnection bob = NetConnection.builder().build()) {
            alice.connect(server).join();                      // NetConnection.Connect.Success
            bob.connect(server).join();

            NetStream out = NetStream.publisher(alice);        // new NetStream(nc, DIRECT_CONNECTIONS)
            out.onPeerConnect(peer -> true);                   // say who may play
            out.publish("greetings");

            String aliceId = bob.lookup("alice").join().peerId();   // or pass the 64-hex peer ID around
            CountDownLatch got = new CountDownLatch(1);
            NetStream in = NetStream.player(bob, aliceId);
            in.setHandler(new NetStreamHandler() {
                @Override public void onStatus(NetStatus status) {
                    System.out.println("bob: " + status.code());  // Connect.Success, Play.Reset, Play.Start
                    if (status.code().equals("NetStream.Play.Start")) {
                        out.send("onGreeting", "hello from " + alice.nearId().substring(0, 8));
                    }
                }
                @Override public void onData(String handler, List<Object> arguments) {
                    System.out.println("bob got " + handler + " " + arguments);
                    if (handler.equals("onGreeting")) {
                        got.countDown();
                    }
                }
            });
            in.play("greetings");
            got.await();
        }
    }
}
