package io.tokenbroker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tokenbroker.provider.ProvidersConfig.ProviderSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderCatalogTest {

  /**
   * Settings as an operator would write them, key by key under {@code broker.providers.x.}, read by
   * SmallRye Config into the same mapping the broker uses (with its typed values and converters).
   */
  static ProviderSettings settings(Map<String, String> keys) {
    Map<String, String> properties = new HashMap<>();
    keys.forEach((key, value) -> properties.put("broker.providers.x." + key, value));
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(ProvidersConfig.class)
            .withSources(new PropertiesConfigSource(properties, "test", 100))
            .build();
    return config.getConfigMapping(ProvidersConfig.class).all().get("x");
  }

  private static Map<String, String> keys(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void pinterestPresetProxiesToTheV5ApiAndStillIssuesTokens() {
    Provider p =
        ProviderCatalog.resolve(
            "pinterest",
            settings(
                keys(
                    "preset", "pinterest",
                    "client-id", "1",
                    "redirect-uri", "https://broker.example/v1/oauth/callback")));

    assertThat(p.apiBaseUrl()).contains(java.net.URI.create("https://api.pinterest.com/v5/"));
    assertThat(p.issueAccessTokens()).isTrue();
    assertThat(p.proxyAllows("DELETE", "/boards/1")).isTrue();
  }

  @Test
  void apiBaseUrlGetsItsTrailingSlashAndProxyOnlyIsKept() {
    Provider p =
        ProviderCatalog.resolve(
            "acme",
            settings(
                keys(
                    "client-id", "1",
                    "token-endpoint", "https://acme.example/token",
                    "api-base-url", "https://api.acme.example/v2",
                    "issue-access-tokens", "false")));

    assertThat(p.apiBaseUrl()).contains(java.net.URI.create("https://api.acme.example/v2/"));
    assertThat(p.issueAccessTokens()).isFalse();
  }

  @Test
  void apiBaseUrlWithAQueryFailsTheStartNamingItsKey() {
    assertThatThrownBy(
            () ->
                ProviderCatalog.resolve(
                    "acme",
                    settings(
                        keys(
                            "client-id", "1",
                            "token-endpoint", "https://acme.example/token",
                            "api-base-url", "https://api.acme.example/v2/?x=1"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("broker.providers.acme.api-base-url");
  }

  @Test
  void proxyAllowListMatchesWholeSegmentsOfItsPrefixesAndMethods() {
    Provider p =
        ProviderCatalog.resolve(
            "acme",
            settings(
                keys(
                    "client-id", "1",
                    "token-endpoint", "https://acme.example/token",
                    "api-base-url", "https://api.acme.example/v2/",
                    "proxy-allow", "GET /boards,* /user_account")));

    assertThat(p.proxyAllows("GET", "/boards")).isTrue();
    assertThat(p.proxyAllows("GET", "/boards/123/pins")).isTrue();
    assertThat(p.proxyAllows("GET", "/boardsx")).isFalse();
    assertThat(p.proxyAllows("POST", "/boards")).isFalse();
    assertThat(p.proxyAllows("PATCH", "/user_account")).isTrue();
    assertThat(p.proxyAllows("GET", "/pins")).isFalse();
  }

  @Test
  void malformedProxyAllowEntryFailsTheStartNamingItsKey() {
    for (String entry : List.of("GET", "FETCH /boards", "GET boards", "GET /a/../b")) {
      assertThatThrownBy(
              () ->
                  ProviderCatalog.resolve(
                      "acme",
                      settings(
                          keys(
                              "client-id", "1",
                              "token-endpoint", "https://acme.example/token",
                              "proxy-allow", entry))))
          .as(entry)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("broker.providers.acme.proxy-allow");
    }
  }

  @Test
  void pinterestPresetFillsEveryPinterestValueFromClientIdAndRedirectUri() {
    Provider p =
        ProviderCatalog.resolve(
            "pinterest",
            settings(
                keys(
                    "preset",
                    "pinterest",
                    "client-id",
                    "1234",
                    "redirect-uri",
                    "https://broker.example/v1/oauth/callback")));
    assertThat(p.authorizationEndpoint())
        .hasValueSatisfying(u -> assertThat(u).hasToString("https://www.pinterest.com/oauth/"));
    assertThat(p.tokenEndpoint()).hasToString("https://api.pinterest.com/v5/oauth/token");
    assertThat(p.accountEndpoint())
        .hasValueSatisfying(
            u -> assertThat(u).hasToString("https://api.pinterest.com/v5/user_account"));
    assertThat(p.accountIdField()).isEqualTo("id");
    assertThat(p.accountNameField()).isEqualTo("username");
    assertThat(p.clientAuth()).isEqualTo(ClientAuthMethod.BASIC);
    assertThat(p.scopeSeparator()).isEqualTo(",");
    assertThat(p.allowedScopes())
        .hasSize(19)
        .contains("boards:read", "user_accounts:write", "msot:write");
    assertThat(p.joinScopes(Set.of("pins:read", "boards:read"))).isEqualTo("boards:read,pins:read");
    assertThat(p.tokenParams()).doesNotContainKey("continuous_refresh");
    assertThat(p.supportsAuthorizationCode()).isTrue();
  }

  @Test
  void continuousRefreshOptionAddsTheTokenParameterForOldPinterestApps() {
    Provider p =
        ProviderCatalog.resolve(
            "pinterest",
            settings(
                keys(
                    "preset",
                    "pinterest",
                    "client-id",
                    "1",
                    "redirect-uri",
                    "https://b.example/cb",
                    "continuous-refresh",
                    "true")));
    assertThat(p.tokenParams()).containsEntry("continuous_refresh", "true");
  }

  @Test
  void genericProviderIsConfiguredByKeysAlone() {
    Provider p =
        ProviderCatalog.resolve(
            "acme",
            settings(
                keys(
                    "client-id",
                    "broker",
                    "token-endpoint",
                    "https://idp.example/token",
                    "client-auth",
                    "post",
                    "pkce",
                    "none")));
    assertThat(p.scopeSeparator()).isEqualTo(" ");
    assertThat(p.clientAuth()).isEqualTo(ClientAuthMethod.POST);
    assertThat(p.pkce()).isEqualTo(PkceMode.NONE);
    assertThat(p.supportsAuthorizationCode()).isFalse();
    assertThat(p.allowsScope("anything")).isTrue();
  }

  @Test
  void unknownPresetFailsNamingTheKey() {
    assertThatThrownBy(
            () ->
                ProviderCatalog.resolve(
                    "x", settings(keys("preset", "pintrest", "client-id", "1"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("broker.providers.x.preset");
  }

  @Test
  void missingTokenEndpointFailsNamingTheKey() {
    assertThatThrownBy(() -> ProviderCatalog.resolve("x", settings(keys("client-id", "1"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("broker.providers.x.token-endpoint");
  }

  @Test
  void missingClientIdFailsNamingTheKey() {
    assertThatThrownBy(() -> ProviderCatalog.resolve("x", settings(keys("preset", "pinterest"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("broker.providers.x.client-id");
  }

  @Test
  void badUrlFailsNamingTheKey() {
    assertThatThrownBy(
            () ->
                ProviderCatalog.resolve(
                    "x",
                    settings(keys("client-id", "1", "token-endpoint", "ftp://idp.example/token"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("broker.providers.x.token-endpoint");
    assertThatThrownBy(
            () ->
                ProviderCatalog.resolve(
                    "x",
                    settings(
                        keys(
                            "client-id",
                            "1",
                            "token-endpoint",
                            "https://idp.example/t",
                            "account-endpoint",
                            "not a url"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("broker.providers.x.account-endpoint");
  }

  @Test
  void authorizationEndpointWithoutRedirectUriFailsNamingTheKey() {
    assertThatThrownBy(
            () ->
                ProviderCatalog.resolve(
                    "pinterest", settings(keys("preset", "pinterest", "client-id", "1"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("broker.providers.pinterest.redirect-uri");
  }

  @Test
  void defaultScopeOutsideAllowedSetFailsNamingTheKey() {
    assertThatThrownBy(
            () ->
                ProviderCatalog.resolve(
                    "x",
                    settings(
                        keys(
                            "client-id",
                            "1",
                            "token-endpoint",
                            "https://i.example/t",
                            "scopes",
                            "a,b",
                            "default-scopes",
                            "c"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("broker.providers.x.default-scopes");
  }

  @Test
  void wrongClientAuthFailsNamingTheKey() {
    assertThatThrownBy(
            () ->
                ProviderCatalog.resolve(
                    "x",
                    settings(
                        keys(
                            "client-id",
                            "1",
                            "token-endpoint",
                            "https://i.example/t",
                            "client-auth",
                            "jwt"))))
        // Refused by the typed mapping before the catalogue runs: the start fails all the same.
        .hasMessageContaining("broker.providers.x.client-auth");
  }

  @Test
  void wrongPkceModeFailsNamingTheKey() {
    assertThatThrownBy(
            () ->
                ProviderCatalog.resolve(
                    "x",
                    settings(
                        keys(
                            "client-id",
                            "1",
                            "token-endpoint",
                            "https://i.example/t",
                            "pkce",
                            "plain"))))
        .hasMessageContaining("broker.providers.x.pkce");
  }

  @Test
  void unknownProviderProblemNamesItAndPointsAtTheProviderList() {
    assertThat(ProviderCatalog.unknownProvider("pinterst"))
        .isEqualTo(
            "No provider 'pinterst' is configured here; GET /v1/providers lists the configured"
                + " providers.");
  }

  @Test
  void unknownProviderProblemDoesNotEchoTextThatCannotBeAProviderId() {
    assertThat(ProviderCatalog.unknownProvider("<script>alert(1)</script>"))
        .doesNotContain("script")
        .contains("GET /v1/providers");
  }

  @Test
  void startupLineNamesProviderIdsOnly() {
    assertThat(ProviderCatalog.startupLine(List.of("local", "pinterest")))
        .isEqualTo("Providers configured: local, pinterest");
    assertThat(ProviderCatalog.startupLine(List.of())).startsWith("No providers configured");
  }
}
