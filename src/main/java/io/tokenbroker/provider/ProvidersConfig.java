package io.tokenbroker.provider;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upstream authorization servers, {@code broker.providers.<id>.*}. Every value may be left out
 * where a {@code preset} supplies it; {@link ProviderCatalog} checks the result at startup and
 * names the key that is missing or wrong.
 */
@ConfigMapping(prefix = "broker.providers")
public interface ProvidersConfig {

  @WithParentName
  Map<String, ProviderSettings> all();

  interface ProviderSettings {

    /** {@code pinterest} fills every Pinterest value below; no default (no preset). */
    Optional<String> preset();

    /** The app's client id at the provider. Required. */
    Optional<String> clientId();

    /**
     * The client secret, read by the embedded default's secret store only; with Vault configured it
     * is ignored. No default.
     */
    Optional<String> clientSecret();

    /** The previous client secret while a rotation is under way. No default. */
    Optional<String> clientSecretPrevious();

    /** Authorization endpoint URL; required for the authorization-code flow. */
    Optional<String> authorizationEndpoint();

    /** Token endpoint URL. Required. */
    Optional<String> tokenEndpoint();

    /** RFC 7009 revocation endpoint URL; optional, used when a connection is deleted. */
    Optional<String> revocationEndpoint();

    /** URL that returns the linked account as JSON when called with the new access token. */
    Optional<String> accountEndpoint();

    /** JSON field of the account response that holds the stable account id. Default {@code id}. */
    Optional<String> accountIdField();

    /** JSON field of the account response that holds a display name. Default {@code username}. */
    Optional<String> accountNameField();

    /**
     * {@code basic} (HTTP Basic) or {@code post} (credentials in the form). Default {@code basic}.
     */
    Optional<ClientAuthMethod> clientAuth();

    /** Separator of scopes in requests: Pinterest wants a comma. Default one space (RFC 6749). */
    Optional<String> scopeSeparator();

    /** The scopes callers may request; empty means any. Default: empty, or the preset's set. */
    Optional<List<String>> scopes();

    /** Scopes requested when an authorization names none. Default: none, or the preset's. */
    Optional<List<String>> defaultScopes();

    /** {@code s256} or {@code none}. Default {@code s256}. */
    Optional<PkceMode> pkce();

    /** Extra query parameters of the authorization request. Default none. */
    Map<String, String> authorizationParams();

    /** Extra form parameters of every token request. Default none. */
    Map<String, String> tokenParams();

    /**
     * Pinterest only: send {@code continuous_refresh=true}, required for apps created before
     * 2025-09-25 to get rotating 60-day refresh tokens. Default {@code false}.
     */
    Optional<Boolean> continuousRefresh();

    /** The broker's public callback URL, registered at the provider exactly. Required for links. */
    Optional<String> redirectUri();

    /**
     * Refresh when the access token has less than this left. Default 5 minutes (Pinterest 1 day).
     */
    Optional<Duration> accessTokenRefreshMargin();

    /**
     * Refresh when the refresh token has less than this left. Default 1 day (Pinterest 7 days, as
     * its refresh tokens live 60 days and rotate on every refresh).
     */
    Optional<Duration> refreshTokenRefreshMargin();

    /** TCP connect timeout of calls to this provider. Default 2 seconds. */
    Optional<Duration> connectTimeout();

    /** Read timeout of calls to this provider. Default 10 seconds. */
    Optional<Duration> readTimeout();

    /** Whether callers may obtain client-credentials (app) tokens. Default {@code true}. */
    Optional<Boolean> clientCredentials();

    /**
     * The root of the provider's API, under which the proxy ({@code /v1/connections/{id}/proxy/…})
     * forwards calls; without it the provider has no proxy. Default none (Pinterest {@code
     * https://api.pinterest.com/v5/}).
     */
    Optional<String> apiBaseUrl();

    /**
     * Whether callers may fetch a connection's access token. {@code false} makes the provider
     * proxy-only: the token never leaves the broker, so removing a caller from a connection takes
     * its access away at once. Default {@code true}.
     */
    Optional<Boolean> issueAccessTokens();

    /**
     * Requests the proxy forwards, as {@code METHOD /path-prefix} entries relative to {@code
     * api-base-url} (e.g. {@code GET /boards}; {@code *} for any method). Default: empty, any
     * request under {@code api-base-url}.
     */
    Optional<List<String>> proxyAllow();
  }
}
