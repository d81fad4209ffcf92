package io.tokenbroker.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.tokenbroker.problem.BrokerException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnToPolicyTest {

  private final ReturnToPolicy policy =
      new ReturnToPolicy(List.of("https://app.example.com", "https://admin.example.com/settings/"));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://app.example.com",
        "https://app.example.com/",
        "https://app.example.com/linked?x=1",
        "https://APP.example.com/linked",
        "https://app.example.com:443/linked",
        "https://admin.example.com/settings/",
        "https://admin.example.com/settings/pinterest"
      })
  void acceptsUrlsOnTheAllowList(String url) {
    assertThat(policy.check(url)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "//evil.example",
        "//app.example.com",
        "/relative/path",
        "https://allowed.example.evil.example",
        "https://app.example.com.evil.example/",
        "https://app.example.com@evil.example/",
        "https://user:pw@app.example.com/",
        "https://evil.example/?https://app.example.com",
        "https://evil.example#https://app.example.com",
        "https://app.example.com/#frag",
        "http://app.example.com/",
        "https://app.example.com:8443/",
        "https://app.example.com\\@evil.example",
        "https://app.example.com%2f@evil.example",
        "https://app.example.com%40evil.example",
        "https://evil.example%2eapp.example.com",
        "https:/app.example.com",
        "https:app.example.com",
        "javascript:alert(1)",
        "data:text/html,hi",
        "https://admin.example.com/settings",
        "https://admin.example.com/settingsx/",
        "https://admin.example.com/settings/../../admin",
        "https://admin.example.com/settings/%2e%2e/admin",
        "https://app.example.com/\tpath",
        "https://app.example.com/ path",
        " https://app.example.com/",
        "https://app.example.com/\u0000",
        "https://ａpp.example.com/",
        ""
      })
  void refusesEverythingElse(String url) {
    assertThatThrownBy(() -> policy.check(url)).isInstanceOf(BrokerException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://app.example.com/"})
  void emptyAllowListRefusesAll(String url) {
    assertThatThrownBy(() -> new ReturnToPolicy(List.of()).check(url))
        .isInstanceOf(BrokerException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://app.example.com/integrations/pinterest",
        "https://app.example.com/linked.html",
        "app.example.com",
        "ftp://app.example.com/",
        "https://app.example.com/#done"
      })
  void entryThatIsNeitherAnOriginNorASlashTerminatedPrefixIsRefusedNamingTheKey(String entry) {
    assertThatThrownBy(() -> new ReturnToPolicy(List.of("https://ok.example.com", entry)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("broker.authorization.return-to-allowed: '" + entry + "'");
  }

  @Test
  void entryWithoutTrailingSlashIsToldHowToWriteIt() {
    assertThatThrownBy(
            () -> new ReturnToPolicy(List.of("https://app.example.com/integrations/pinterest")))
        .hasMessageContaining("'https://app.example.com'")
        .hasMessageContaining("'https://app.example.com/integrations/pinterest/'");
  }

  @Test
  void slashTerminatedPrefixAllowsPagesBelowItOnly() {
    ReturnToPolicy below =
        new ReturnToPolicy(List.of("https://app.example.com/integrations/pinterest/"));

    assertThat(below.check("https://app.example.com/integrations/pinterest/linked")).isNotNull();
    assertThatThrownBy(() -> below.check("https://app.example.com/integrations/pinterest-evil"))
        .isInstanceOf(BrokerException.class);
  }
}
