package io.tokenbroker.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.support.HeadlessChromium;
import io.tokenbroker.support.upstream.StandardOAuthServerResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The connect page in a real browser (headless Chromium): the person opens the link, reads the
 * page, presses Continue, signs in on the provider's login page and lands on "Linked", with the
 * connection stored. The provider here is the standard OAuth server under the id {@code pinterest}
 * with Pinterest's scopes (plus {@code openid}, which it requires), because it has a real login
 * page; {@code PinterestStandIn} consents without one.
 *
 * <p>Screenshots go to {@code target/screenshots/}; {@code -Dconnect.screenshots=docs} also writes
 * the ones the README shows ({@code docs/connect-page-*.png}).
 */
@QuarkusTest
@WithTestResource(
    value = StandardOAuthServerResource.class,
    initArgs = {
      @ResourceArg(name = "provider", value = "pinterest"),
      @ResourceArg(name = "default-scopes", value = "boards:read,pins:read,user_accounts:read")
    })
@WithTestResource(ConnectBaseUrlResource.class)
class ConnectPageBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void personOpensTheLinkContinuesSignsInAndLandsOnLinkedWithTheConnectionStored()
      throws IOException {
    ConnectLinks.Created link =
        // The standard server speaks OpenID Connect and refuses an authorization without openid.
        ConnectLinks.createPinterest(
            List.of("openid", "boards:read", "pins:read", "user_accounts:read"),
            "Hi! Please link the shop's Pinterest account, so that the catalog sync can read"
                + " its boards and Pins.");
    ChromeDriver phone = HeadlessChromium.phone(390, 844);
    try {
      phone.get(link.url());
      assertThat(phone.findElement(By.tagName("h1")).getText())
          .isEqualTo("Link your Pinterest account");
      // Works on a phone: nothing wider than the screen, the button fits and is in reach.
      Long scrollWidth = (Long) phone.executeScript("return document.documentElement.scrollWidth;");
      assertThat(scrollWidth).isLessThanOrEqualTo(390L);
      WebElement button = phone.findElement(By.tagName("button"));
      assertThat(button.getRect().getX() + button.getRect().getWidth()).isLessThanOrEqualTo(390);
      screenshot(phone, "connect-page-phone.png");
    } finally {
      phone.quit();
    }

    ChromeDriver browser = HeadlessChromium.desktop(1280, 900);
    try {
      browser.get(link.url());
      assertThat(browser.getTitle()).isEqualTo("Link your Pinterest account – Token Broker");
      assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
      String text = browser.findElement(By.tagName("main")).getText();
      assertThat(text)
          .contains("Token Broker")
          .contains("admin-tool asked you to link your Pinterest account to Token Broker.")
          .contains("Message from admin-tool")
          .contains("so that the catalog sync can read its boards and Pins.")
          .contains("Know which account you signed in with")
          .contains("See your public boards, including group boards you joined")
          .contains("See your public Pins")
          .contains("See your account details and your followers");
      List<WebElement> buttons = browser.findElements(By.tagName("button"));
      assertThat(buttons).hasSize(1);
      assertThat(buttons.get(0).getText()).isEqualTo("Continue to Pinterest");
      // The inline style ran under the page's CSP (it is allowed by hash only).
      assertThat(buttons.get(0).getCssValue("background-color")).isEqualTo("rgba(163, 8, 26, 1)");
      screenshot(browser, "connect-page-desktop.png");

      buttons.get(0).click();
      WebElement username =
          new WebDriverWait(browser, WAIT)
              .until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
      assertThat(browser.getCurrentUrl())
          .startsWith(StandardOAuthServerResource.server().authorizationEndpoint());
      username.sendKeys("linda-shop");
      username.submit();

      new WebDriverWait(browser, WAIT)
          .until(ExpectedConditions.textToBe(By.tagName("h1"), "Linked"));
      assertThat(browser.findElement(By.tagName("main")).getText())
          .contains("This Pinterest account is now linked:")
          .contains("linda-shop");
      assertThat(browser.findElements(By.tagName("button"))).isEmpty();
      screenshot(browser, "connect-page-linked.png");

      ConnectLink used = ConnectLinks.load(link.id());
      assertThat(used.usedAt).isNotNull();
      Connection stored =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    Connection c = Connection.findById(used.connectionId);
                    c.allowedCallers.size();
                    return c;
                  });
      assertThat(stored.provider).isEqualTo("pinterest");
      assertThat(stored.accountId).isEqualTo("linda-shop");
      assertThat(stored.allowedCallers).containsExactly("svc-shop");

      browser.get(link.url());
      assertThat(browser.findElement(By.tagName("h1")).getText())
          .isEqualTo("This link was already used");
      assertThat(browser.findElements(By.tagName("button"))).isEmpty();
    } finally {
      browser.quit();
    }
  }

  private static void screenshot(ChromeDriver driver, String name) throws IOException {
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Path dir = Files.createDirectories(Path.of("target", "screenshots"));
    Files.copy(shot, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    if ("docs".equals(System.getProperty("connect.screenshots"))) {
      Files.copy(shot, Path.of("docs", name), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
