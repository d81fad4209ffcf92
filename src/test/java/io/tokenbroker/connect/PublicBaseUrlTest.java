package io.tokenbroker.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The start-up check of {@code broker.connect.public-base-url}, and what it derives. */
class PublicBaseUrlTest {

  @Test
  void plainHttpOnTheInternetFailsNamingTheKey() {
    assertThatThrownBy(() -> PublicBaseUrl.parse("http://broker.example.com"))
        .hasMessageContaining("broker.connect.public-base-url")
        .hasMessageContaining("https");
  }

  @Test
  void relativeQueryOrGarbageFailsNamingTheKey() {
    for (String bad :
        new String[] {"/broker", "https://broker.example.com/?a=1", "https://u@x.example", "::"}) {
      assertThatThrownBy(() -> PublicBaseUrl.parse(bad))
          .as(bad)
          .hasMessageContaining("broker.connect.public-base-url");
    }
  }

  @Test
  void httpsWithPathPrefixMakesLinksUnderItAndTheOriginWithoutDefaultPort() {
    PublicBaseUrl base = of("https://Broker.example.com:443/tb/");
    assertThat(base.linkUrl("abc")).isEqualTo("https://Broker.example.com:443/tb/connect/abc");
    assertThat(base.origin()).contains("https://broker.example.com");
  }

  @Test
  void localhostMayUsePlainHttp() {
    PublicBaseUrl base = of("http://localhost:8080");
    assertThat(base.origin()).contains("http://localhost:8080");
  }

  private static PublicBaseUrl of(String value) {
    return new PublicBaseUrl(
        new ConnectConfig() {
          @Override
          public Optional<String> publicBaseUrl() {
            return Optional.of(value);
          }

          @Override
          public String productName() {
            return "Token Broker";
          }

          @Override
          public Optional<String> supportContact() {
            return Optional.empty();
          }

          @Override
          public Map<String, String> providerNames() {
            return Map.of();
          }
        });
  }
}
