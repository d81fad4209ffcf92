package io.tokenbroker.provider;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a preset fills in for the keys an operator leaves out: {@link #GENERIC} (no preset; RFC 6749
 * defaults) or {@link #PINTEREST}. A value the operator sets always wins.
 *
 * @param continuousRefresh whether {@code continuous-refresh} applies (Pinterest only)
 */
record ProviderPreset(
    Optional<String> authorizationEndpoint,
    Optional<String> tokenEndpoint,
    Optional<String> revocationEndpoint,
    Optional<String> accountEndpoint,
    Optional<String> apiBaseUrl,
    List<String> scopes,
    List<String> defaultScopes,
    String scopeSeparator,
    Duration accessTokenRefreshMargin,
    Duration refreshTokenRefreshMargin,
    boolean continuousRefresh) {

  /** No preset: every endpoint from its key, any scope, space-separated, RFC 6749 margins. */
  static final ProviderPreset GENERIC =
      new ProviderPreset(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          List.of(),
          " ",
          Duration.ofMinutes(5),
          Duration.ofDays(1),
          false);

  /**
   * Pinterest API v5 as documented: comma-separated scopes in requests, GET /v5/user_account for
   * the account, 30-day access tokens (refreshed a day early, as Pinterest suggests) and 60-day
   * refresh tokens that rotate on every refresh (refreshed a week early). Basic client auth is
   * everyone's default.
   */
  static final ProviderPreset PINTEREST =
      new ProviderPreset(
          Optional.of("https://www.pinterest.com/oauth/"),
          Optional.of("https://api.pinterest.com/v5/oauth/token"),
          Optional.of("https://api.pinterest.com/v5/oauth/token/revoke"),
          Optional.of("https://api.pinterest.com/v5/user_account"),
          Optional.of("https://api.pinterest.com/v5/"),
          // The 19 scopes of the v5 OpenAPI description (release 5.23.0).
          List.of(
              "ads:read",
              "ads:write",
              "billing:read",
              "billing:write",
              "biz_access:read",
              "biz_access:write",
              "boards:read",
              "boards:read_secret",
              "boards:write",
              "boards:write_secret",
              "catalogs:read",
              "catalogs:write",
              "msot:write",
              "pins:read",
              "pins:read_secret",
              "pins:write",
              "pins:write_secret",
              "user_accounts:read",
              "user_accounts:write"),
          // user_accounts:read lets the broker label the connection with GET /v5/user_account.
          List.of("boards:read", "pins:read", "user_accounts:read"),
          ",",
          Duration.ofDays(1),
          Duration.ofDays(7),
          true);

  /** The preset {@code name} (any case) at {@code key}; none configured is {@link #GENERIC}. */
  static ProviderPreset named(String key, Optional<String> name) {
    if (name.isEmpty()) {
      return GENERIC;
    }
    if (name.get().trim().toLowerCase(Locale.ROOT).equals("pinterest")) {
      return PINTEREST;
    }
    throw new ConfigurationException(
        key + ": unknown preset '" + name.get() + "' (known: pinterest)");
  }
}
