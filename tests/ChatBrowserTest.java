import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The chat page (examples/web/chat.html) in Debian's headless Chromium, driven by Selenium through Debian's
 * chromedriver: two browsers open the page the gateway serves (`invoke-lambda --serve --local-aws` over the
 * shared ExampleBuild, under qemu), join as A and B, A types a message and it appears in B's page. A screenshot
 * of B's page is taken and decoded (a PNG of more than one colour). No browser, gateway, moto or function is left.
 */
class ChatBrowserTest {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    static ChromeDriver browser() {
        assertTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM), "chromium and chromium-driver are not installed (./setup.sh)");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        // --no-sandbox: the tests run as root, where Chromium's sandbox will not start
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=800,600", "--user-data-dir="
                + Repo.scratch("chromium").toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }

    static WebDriverWait waiting(WebDriver d) {
        return new WebDriverWait(d, Duration.ofSeconds(300));
    }

    @Test
    void aMessageTypedInOneBrowserAppearsInTheOther() throws Exception {
        GatewayServer gw = GatewayChatTest.chatGateway();
        List<ProcessHandle> started = new ArrayList<>();
        List<ChromeDriver> browsers = new ArrayList<>();
        try {
            ChromeDriver a = browser();
            browsers.add(a);
            ChromeDriver b = browser();
            browsers.add(b);
            a.get(gw.url + "/?name=A");
            b.get(gw.url + "/?name=B");
            assertEquals("Chat", a.getTitle());
            waiting(a).until(ExpectedConditions.textToBe(By.id("status"), "connected as A"));
            waiting(b).until(ExpectedConditions.textToBe(By.id("status"), "connected as B"));

            a.findElement(By.id("text")).sendKeys("hello from A");
            a.findElement(By.id("go")).click();
            waiting(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id("log"), "A: hello from A"));
            waiting(a).until(ExpectedConditions.textToBePresentInElementLocated(By.id("log"), "A: hello from A"));
            assertEquals("A: hello from A", b.findElement(By.cssSelector("#log p")).getText());

            byte[] png = ((TakesScreenshot) b).getScreenshotAs(OutputType.BYTES);
            Files.write(Repo.scratch("chromium").resolve("chat-B.png"), png);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertNotNull(img, "the screenshot is not a PNG");
            assertTrue(img.getWidth() > 100 && img.getHeight() > 100, img.getWidth() + "x" + img.getHeight());
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < img.getHeight(); y += 4) for (int x = 0; x < img.getWidth(); x += 4) colours.add(img.getRGB(x, y));
            assertTrue(colours.size() > 1, "the screenshot is blank (one colour)");
            started.addAll(gw.process.descendants().toList());
        } finally {
            for (ChromeDriver d : browsers) d.quit();
            gw.close();
        }
        assertEquals(List.of(), started.stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList(),
                "processes left after the gateway stopped");
        assertEquals(List.of(), ProcessHandle.current().descendants().filter(h -> h.info().command().orElse("").contains("chrom"))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList(), "browser processes left");
    }
}
