package io.rtmfp4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.server.RendezvousServer;
import io.rtmfp4j.server.ServerConfig;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's {@code Hello}, as a user would run it: its own JVM, with nothing on the classpath
 * but the module it depends on and what that module's POM brings along.
 */
class HelloTest {
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));

    @Test
    void theReadmeShowsTheHelloThatIsCompiledHere() throws IOException {
        String readme = Files.readString(MODULE.resolveSibling("README.md"));
        Matcher block = Pattern.compile("```java\\n(import io\\.rtmfp4j\\.flash\\.net\\..*?public class Hello .*?)```",
                Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README has the Hello example").isTrue();

        assertThat(block.group(1)).isEqualTo(Files.readString(MODULE.resolve("src/main/java/Hello.java")));
    }

    @Test
    void helloRunsWithTheDeclaredDependenciesAlone() throws Exception {
        String classpath = MODULE.resolve("target/classes") + File.pathSeparator
                + Files.readString(MODULE.resolve("target/runtime-classpath.txt")).strip();
        try (RendezvousServer server = RendezvousServer.start(ServerConfig.of(EndpointConfig.builder(
                        PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2), new SecureRandom())).build(),
                List.of(new InetSocketAddress("127.0.0.1", 0))).withCryptoThreads(1))) {
            String url = "rtmfp://127.0.0.1:" + server.localAddresses().get(0).getPort() + "/demo";
            Process hello = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, "Hello", url).start();
            try {
                CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(hello.getInputStream()));
                CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(hello.getErrorStream()));
                // A bound for a hung process on a loaded machine, not a timing.
                assertThat(hello.waitFor(120, TimeUnit.SECONDS)).as("Hello finished").isTrue();

                assertThat(hello.exitValue()).as(err.get()).isZero();
                assertThat(out.get()).contains("bob: NetStream.Play.Start").contains("bob got onGreeting [hello from ");
                assertThat(err.get()).doesNotContain("NoClassDefFoundError").doesNotContain("Exception");
            } finally {
                hello.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
