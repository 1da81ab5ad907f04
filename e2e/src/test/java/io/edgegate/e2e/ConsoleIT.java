package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.testkit.FreePorts;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The cluster console in a real browser (Debian's headless chromium through its chromedriver):
 * log in with a viewer token, watch a change reach every node, a node rejecting a change and a
 * node that died, as an operator sees them.
 */
class ConsoleIT {

    @TempDir
    Path dir;

    private Cluster cluster;
    private ChromeDriver browser;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            Path screenshot = ProjectPaths.root().resolve("e2e/target/console.png");
            Files.createDirectories(screenshot.getParent());
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
            browser.quit();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aViewerWatchesChangesReachEveryNodeARejectionAndADeadNode() throws Exception {
        cluster = Cluster.start(dir, 3);
        EgctlRun created = EgctlRun.inProcess(cluster.egctl(), "token", "create", "--role", "viewer", "--name", "console-viewer");
        assertThat(created.exit()).as(created.toString()).isZero();
        String viewerToken = created.out().strip();

        browser = headlessChromium();
        browser.get("http://" + cluster.controlPlaneAdmin(0) + "/ui/");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("login-section")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys("egt_console-viewer.not-the-secret-at-all-0000");
        browser.findElement(By.id("login-button")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> !browser.findElement(By.id("login-error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("console")).isDisplayed()).isFalse();

        browser.findElement(By.id("token")).sendKeys(viewerToken);
        browser.findElement(By.id("login-button")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("console")).isDisplayed());
        assertThat(browser.findElement(By.id("whoami")).getText()).isEqualTo("as console-viewer (viewer)");
        Cookie session = browser.manage().getCookieNamed("edgegate_console");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getValue()).doesNotContain(viewerToken.substring(viewerToken.lastIndexOf('.') + 1));
        JavascriptExecutor page = browser;
        assertThat(page.executeScript("return document.cookie + localStorage.length + sessionStorage.length"))
                .as("nothing the page's scripts can read").isEqualTo("00");
        await().atMost(Duration.ofSeconds(10)).until(() -> "live".equals(browser.findElement(By.id("live")).getText()));

        // A change: every node's row shows the new revision and Ready within 5 s.
        int port = FreePorts.pickOnAll(ExampleSetup.NODE_ADDRESSES);
        EgctlRun applied = EgctlRun.withStdin(cluster.egctl(), objects("console", port), "apply", "--wait", "--timeout", "10s", "-f", "-");
        assertThat(applied.exit()).as(applied.toString()).isZero();
        long revision = revisionOf(applied);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String node : cluster.nodeIds()) {
                assertThat(cell(node, "node-state")).as(node).isEqualTo("Ready");
                assertThat(cell(node, "node-revision")).as(node).isEqualTo(Long.toString(revision));
            }
            assertThat(text("#revisions li[data-revision='" + revision + "']"))
                    .matches("revision " + revision + ": 3/3 applied, slowest \\d+ ms — .*");
            assertThat(text("#objects tr[data-object='HTTPServer/console'] .object-nodes"))
                    .startsWith("3/3");
        });
        assertThat(browser.findElement(By.id("feed")).getText()).contains("created HTTPServer console (revision " + revision + ")");

        // Traffic through one node shows in its sparkline (from the summaries nodes send with their heartbeats).
        String busy = cluster.nodeIds().get(0);
        try (LoadLoop load = LoadLoop.start(List.of(new InetSocketAddress(cluster.address(busy), port)), "/", 1)) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                Object peak = browser.executeScript("const e = document.querySelector(arguments[0]); return e ? e.dataset.peak : null;",
                        "#nodes tr[data-node='" + busy + "'] .node-traffic svg");
                assertThat(peak).isNotNull();
                assertThat(Double.parseDouble(peak.toString())).isPositive();
            });
        }

        // A change one node rejects: its row shows Rejected with the node's error, the others Ready.
        String victim = cluster.nodeIds().get(1);
        int clashPort = FreePorts.pickOnAll(ExampleSetup.NODE_ADDRESSES);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(cluster.address(victim), clashPort));
            EgctlRun rejected = EgctlRun.withStdin(cluster.egctl(), objects("clash", clashPort), "apply", "--wait", "--timeout", "10s", "-f", "-");
            assertThat(rejected.exit()).as(rejected.toString()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(cell(victim, "node-state")).isEqualTo("Rejected");
                assertThat(text("#revisions li[data-revision='" + revisionOf(rejected) + "']"))
                        .contains("2/3 applied").contains("1 rejected (" + victim + ")");
                assertThat(cell(victim, "node-error")).contains("HTTPServer clash cannot listen on " + cluster.address(victim) + ":" + clashPort);
                for (String node : cluster.nodeIds()) {
                    if (!node.equals(victim)) {
                        assertThat(cell(node, "node-state")).as(node).isEqualTo("Ready");
                    }
                }
            });
        }

        // A node that dies: its row shows Disconnected.
        String dead = cluster.nodeIds().get(2);
        cluster.killDataPlane(dead);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(cell(dead, "node-state")).isEqualTo("Disconnected"));
        assertThat(browser.findElement(By.id("feed")).getText()).contains(dead + " disconnected");
        assertThat(text("#revisions li[data-revision='" + revision + "']"))
                .as("a node that died later does not change what a revision reached").contains("3/3 applied");

        // A node's live filter state, as describe shows it.
        browser.findElement(By.cssSelector("#nodes tr[data-node='" + cluster.nodeIds().get(0) + "']")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.findElement(By.id("node-detail")).isDisplayed());
        assertThat(browser.findElement(By.id("node-detail-title")).getText()).startsWith(cluster.nodeIds().get(0) + " — live state");
    }

    private String cell(String node, String column) {
        return text("#nodes tr[data-node='" + node + "'] ." + column);
    }

    /** The element's text read in one script call: the page redraws its tables as the cluster changes, so no element is held across calls. */
    private String text(String selector) {
        Object text = browser.executeScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", selector);
        assertThat(text).as(selector).isNotNull();
        return text.toString();
    }

    private static long revisionOf(EgctlRun run) {
        Matcher m = Pattern.compile("apply revision (\\d+)").matcher(run.out() + run.err());
        assertThat(m.find()).as(run.toString()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String objects(String name, int port) {
        return """
                kind: HTTPServer
                name: %1$s
                port: %2$d
                rules:
                - paths:
                  - pathPrefix: /
                    backend: %1$s-pipeline
                ---
                kind: HTTPPipeline
                name: %1$s-pipeline
                flow:
                - filter: proxy
                filters:
                - name: proxy
                  kind: Proxy
                  mainPool:
                    servers:
                    - url: http://127.0.0.1:9
                """.formatted(name, port);
    }

    /** Debian's chromium and chromedriver, named outright so Selenium never looks for (or downloads) others. */
    private static ChromeDriver headlessChromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
