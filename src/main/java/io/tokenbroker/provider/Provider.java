package io.tokenbroker.provider;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** One upstream authorization server, fully resolved and checked. Holds no secret. */
public record Provider(
    String id,
    String clientId,
    Optional<URI> authorizationEndpoint,
    URI tokenEndpoint,
    Optional<URI> revocationEndpoint,
    Optional<URI> accountEndpoint,
    String accountIdField,
    String accountNameField,
    ClientAuthMethod clientAuth,
    String scopeSeparator,
    Set<String> allowedScopes,
    List<String> defaultScopes,
    PkceMode pkce,
    Map<String, String> authorizationParams,
    Map<String, String> tokenParams,
    Optional<URI> redirectUri,
    Duration accessTokenRefreshMargin,
    Duration refreshTokenRefreshMargin,
    Duration connectTimeout,
    Duration readTimeout,
    boolean clientCredentialsEnabled,
    Optional<URI> apiBaseUrl,
    boolean issueAccessTokens,
    List<ProxyRule> proxyAllow) {

  /** True when people can link accounts of this provider (authorization-code flow). */
  public boolean supportsAuthorizationCode() {
    return authorizationEndpoint.isPresent() && redirectUri.isPresent();
  }

  /**
   * Whether the proxy may send {@code method} to {@code path} (relative to {@link #apiBaseUrl},
   * starting with a slash): any request when no allow-list is configured.
   */
  public boolean proxyAllows(String method, String path) {
    return proxyAllow.isEmpty() || proxyAllow.stream().anyMatch(r -> r.matches(method, path));
  }

  /** True when {@code scope} is one this provider lets callers ask for. */
  public boolean allowsScope(String scope) {
    return allowedScopes.isEmpty() || allowedScopes.contains(scope);
  }

  /** Scopes as this provider wants them in a request (comma for Pinterest, space by default). */
  public String joinScopes(Set<String> scopes) {
    return scopes.stream().sorted().collect(Collectors.joining(scopeSeparator));
  }
}
