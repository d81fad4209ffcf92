package io.tokenbroker.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** broker.exchange.issuer: a usable value is published as is, a wrong one stops the start. */
class IssuerSettingTest {

  private static IssuerSetting configured(String issuer) {
    return new IssuerSetting(() -> Optional.ofNullable(issuer).map(URI::create));
  }

  @Test
  void configuredIssuerIsPublishedWithoutATrailingSlash() {
    assertThat(
            configured("https://broker.example.com/").issuer(URI.create("http://10.0.0.7:8080/")))
        .isEqualTo("https://broker.example.com");
    assertThat(configured("https://broker.example.com/tb").issuer(URI.create("http://x/")))
        .isEqualTo("https://broker.example.com/tb");
  }

  @Test
  void withoutAnIssuerTheRequestsOwnOriginIsPublished() {
    assertThat(configured(null).issuer(URI.create("http://localhost:8081/")))
        .isEqualTo("http://localhost:8081");
  }

  @Test
  void issuerThatIsNotAnAbsoluteHttpUrlWithoutQueryOrFragmentFailsNamingTheKey() {
    for (String wrong :
        new String[] {
          "broker.example.com",
          "/relative",
          "ftp://broker.example.com",
          "https://broker.example.com?x=1",
          "https://broker.example.com#frag",
          "urn:token-broker"
        }) {
      assertThatThrownBy(() -> configured(wrong))
          .as(wrong)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("broker.exchange.issuer");
    }
  }
}
