package io.rtmfp4j.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtmfp4j.core.crypto.DhGroup;
import io.rtmfp4j.core.crypto.PeerIdentity;
import io.rtmfp4j.core.session.EndpointConfig;
import io.rtmfp4j.core.wire.Hex;
import io.rtmfp4j.flash.net.NetConnection;
import io.rtmfp4j.server.RendezvousServer;
import io.rtmfp4j.server.ServerConfig;
import io.rtmfp4j.flash.group.wire.GroupChannel;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin dashboard in a real headless browser (Debian's chromium and chromedriver): it draws
 * what /status says, and follows it as clients connect and join a group. Skipped, with one line
 * saying why, where the browser is not installed.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Bounds a browser start and a few polls on a busy machine, not a timing. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<AutoCloseable> open = new ArrayList<>();
    private WebDriver browser;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void theDashboardShowsSessionsGroupsAndNodesFromStatus() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no headless browser here (apt-get install chromium chromium-driver): dashboard test skipped");
        EndpointConfig config = EndpointConfig.builder(PeerIdentity.newServer(Optional.empty(), List.of(DhGroup.GROUP_2),
                new SecureRandom())).build();
        RendezvousServer server = RendezvousServer.start(ServerConfig.of(config,
                List.of(new InetSocketAddress("127.0.0.1", 0))).withCryptoThreads(1)
                .withAdmin(new InetSocketAddress("127.0.0.1", 0)));
        open.add(server);
        String url = "rtmfp://127.0.0.1:" + server.localAddresses().get(0).getPort() + "/live";

        browser = chromium();
        browser.get("http://127.0.0.1:" + server.adminAddress().getPort() + "/dashboard");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(b -> text(b, "peer-id").equals(server.peerId()));
        assertThat(text(browser, "sessions")).isEqualTo("0");

        NetConnection alice = connect(url);
        NetConnection bob = connect(url);
        byte[] group = new byte[32];
        group[0] = 0x42;
        for (NetConnection nc : List.of(alice, bob)) {
            nc.host().execute(ep -> nc.services().openServerFlow(GroupChannel.METADATA, 5).orElseThrow()
                    .write(GroupChannel.join(group)));
        }

        wait.until(b -> text(b, "peers").equals("2"));
        assertThat(text(browser, "sessions")).isEqualTo("2");
        assertThat(text(browser, "connects-accepted")).isEqualTo("2");
        wait.until(b -> b.findElements(By.cssSelector("#groups tbody tr")).size() == 1
                && b.findElement(By.cssSelector("#groups tbody tr")).getText().equals(Hex.encode(group) + " 2"));
        assertThat(text(browser, "groups-count")).isEqualTo("1");
        // On its own, the server is the one node.
        assertThat(browser.findElements(By.cssSelector("#nodes tbody tr"))).hasSize(1);
        // The relay is on by default and nobody needed it.
        assertThat(text(browser, "relay")).isEqualTo("relay on: 0 active, 0 made, 0 datagrams (0 bytes) forwarded");
        assertThat(text(browser, "error")).isEmpty();
    }

    private NetConnection connect(String url) throws Exception {
        NetConnection nc = NetConnection.builder().bind(new InetSocketAddress("127.0.0.1", 0)).build();
        open.add(nc);
        nc.connect(url).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return nc;
    }

    private static String text(WebDriver b, String id) {
        return b.findElement(By.id(id)).getText();
    }

    /** Headless Chromium with what this machine needs: no sandbox as root, no network of its own. */
    private static WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
