package io.tokenbroker.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for tests: Debian's {@code chromium}, headless, driven over WebDriver through
 * Debian's {@code chromium-driver} (no driver is downloaded). {@code .ci/run} installs both
 * packages and sets {@value #REQUIRED_ENV}{@code =true}, so that in CI a missing browser fails the
 * test loudly; on a developer machine without them the browser tests are skipped with a message
 * that says what to install.
 *
 * <p>Paths: {@code CHROMIUM_BINARY} (default {@code /usr/bin/chromium}) and {@code
 * CHROMEDRIVER_BINARY} (default {@code /usr/bin/chromedriver}).
 */
public final class HeadlessChromium {

  public static final String REQUIRED_ENV = "BROKER_BROWSER_TESTS_REQUIRED";

  private HeadlessChromium() {}

  /** A desktop-sized browser ({@code width} x {@code height} CSS pixels). */
  public static ChromeDriver desktop(int width, int height) {
    ChromeOptions options = options();
    options.addArguments("--window-size=" + width + "," + height);
    return start(options);
  }

  /**
   * A phone: Chromium's mobile emulation, so the page's viewport meta element is honoured as on a
   * real phone (a narrow desktop window would ignore it).
   */
  public static ChromeDriver phone(int width, int height) {
    ChromeOptions options = options();
    options.setExperimentalOption(
        "mobileEmulation",
        Map.of(
            "deviceMetrics",
            Map.of(
                "width",
                width,
                "height",
                height,
                "pixelRatio",
                2.0,
                "mobile",
                true,
                "touch",
                true)));
    return start(options);
  }

  private static ChromeOptions options() {
    File browser = binary("CHROMIUM_BINARY", "/usr/bin/chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser);
    options.addArguments(
        "--headless=new",
        // Containers run tests as root, where Chromium's sandbox cannot start.
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--lang=en-US");
    return options;
  }

  private static ChromeDriver start(ChromeOptions options) {
    File driver = binary("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver).build();
    ChromeDriver chrome = new ChromeDriver(service, options);
    chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return chrome;
  }

  private static File binary(String env, String fallback) {
    String path = System.getenv().getOrDefault(env, fallback);
    File file = new File(path);
    boolean present = file.canExecute();
    String missing =
        path
            + " is missing: install Debian's chromium and chromium-driver"
            + " (apt-get install chromium chromium-driver), or set "
            + env;
    if (!present && "true".equals(System.getenv(REQUIRED_ENV))) {
      throw new AssertionError(missing + " (" + REQUIRED_ENV + "=true: this run needs a browser)");
    }
    assumeTrue(present, missing);
    return file;
  }
}
