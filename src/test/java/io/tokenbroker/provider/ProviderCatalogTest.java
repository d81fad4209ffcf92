package io.tokenbroker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.tokenbroker.provider.ProvidersConfig.ProviderSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderCatalogTest {

  /** Settings as an operator would write them, key by key. */
  static ProviderSettings settings(Map<String, String> keys) {
    return new ProviderSettings() {
      Optional<String> get(String key) {
        return Optional.ofNullable(keys.get(key));
      }

      Optional<List<String>> list(String key) {
        return get(key).map(v -> List.of(v.split(",")));
      }

      public Optional<String> preset() {
        return get("preset");
      }

      public Optional<String> clientId() {
        return get("client-id");
      }

      public Optional<String> clientSecret() {
        return get("client-secret");
      }

      public Optional<String> clientSecretPrevious() {
        return Optional.empty();
      }

      public Optional<String> authorizationEndpoint() {
        return get("authorization-endpoint");
      }

      public Optional<String> tokenEndpoint() {
        return get("token-endpoint");
      }

      public Optional<String> revocationEndpoint() {
        return get("revocation-endpoint");
      }

      public Optional<String> accountEndpoint() {
        return get("account-endpoint");
      }

      public Optional<String> accountIdField() {
        return get("account-id-field");
      }

      public Optional<String> accountNameField() {
        return get("account-name-field");
      }

      public Optional<String> clientAuth() {
        return get("client-auth");
      }

      public Optional<String> scopeSeparator() {
        return get("scope-separator");
      }

      public Optional<List<String>> scopes() {
        return list("scopes");
      }

      public Optional<List<String>> defaultScopes() {
        return list("default-scopes");
      }

      public Optional<String> pkce() {
        return get("pkce");
      }

      public Map<String, String> authorizationParams() {
        return Map.of();
      }

      public Map<String, String> tokenParams() {
        return Map.of();
      }

      public Optional<Boolean> continuousRefresh() {
        return get("continuous-refresh").map(Boolean::parseBoolean);
      }

      public Optional<String> redirectUri() {
        return get("redirect-uri");
      }

      public Optional<Duration> accessTokenRefreshMargin() {
        return get("access-token-refresh-margin").map(Duration::parse);
      }

      public Optional<Duration> refreshTokenRefreshMargin() {
        return Optional.empty();
      }

      public Optional<Duration> connectTimeout() {
        return Optional.empty();
      }

      public Optional<Duration> readTimeout() {
        return Optional.empty();
      }

      public Optional<Boolean> clientCredentials() {
        return Optional.empty();
      }

      public Optional<String> apiBaseUrl() {
        return get("api-base-url");
      }

      public Optional<Boolean> issueAccessTokens() {
        return get("issue-access-tokens").map(Boolean::parseBoolean);
      }

      public Optional<List<String>> proxyAllow() {
        return list("proxy-allow");
      }
    };
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
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("broker.providers.x.client-auth");
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
