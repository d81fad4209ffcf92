package io.tokenbroker.provider;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.tokenbroker.metrics.ProviderIds;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.provider.ProvidersConfig.ProviderSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The configured providers, resolved once at startup. Any misconfiguration stops startup with a
 * message that names the offending key, so an operator never finds out at the first link attempt.
 */
@Startup
@ApplicationScoped
public class ProviderCatalog {

  private static final Logger LOG = Logger.getLogger(ProviderCatalog.class);
  private static final String PREFIX = "broker.providers.";
  private static final String ID_PATTERN = "[a-z0-9][a-z0-9-]{0,63}";

  private final Map<String, Provider> providers;

  ProviderCatalog(ProvidersConfig config) {
    Map<String, Provider> resolved = new TreeMap<>();
    config.all().forEach((id, settings) -> resolved.put(id, resolve(id, settings)));
    this.providers = Collections.unmodifiableMap(resolved);
    LOG.info(startupLine(providers.keySet()));
  }

  /** What the start log says of the providers: their ids only, never a client id or secret. */
  static String startupLine(Collection<String> ids) {
    return ids.isEmpty()
        ? "No providers configured (broker.providers.<id>.*): nothing can be linked or fetched"
        : "Providers configured: " + String.join(", ", ids);
  }

  public Collection<Provider> all() {
    return providers.values();
  }

  /** The ids the metrics may use as their provider tag: a bounded set, known at start. */
  @Produces
  @Singleton
  ProviderIds providerIds() {
    return new ProviderIds(providers.keySet());
  }

  public Optional<Provider> find(String id) {
    return Optional.ofNullable(id).map(providers::get);
  }

  /**
   * The provider, or a 404 problem that names it (only when it could be a provider id, so that no
   * arbitrary text is echoed back) and points at the list of configured providers.
   */
  public Provider require(String id) {
    return find(id).orElseThrow(() -> BrokerException.notFound(unknownProvider(id)));
  }

  static String unknownProvider(String id) {
    String named = id != null && id.matches(ID_PATTERN) ? "'" + id + "' " : "";
    return "No provider "
        + named
        + "is configured here; GET /v1/providers lists the configured providers.";
  }

  static Provider resolve(String id, ProviderSettings s) {
    if (!id.matches(ID_PATTERN)) {
      throw new ConfigurationException(
          PREFIX + id + ": a provider id must be 1-64 lowercase letters, digits or dashes");
    }
    String key = PREFIX + id + ".";
    ProviderPreset preset = ProviderPreset.named(key + "preset", s.preset());
    String clientId =
        s.clientId()
            .filter(v -> !v.isBlank())
            .orElseThrow(() -> new ConfigurationException(key + "client-id is required"));
    URI tokenEndpoint =
        url(key + "token-endpoint", s.tokenEndpoint().or(preset::tokenEndpoint))
            .orElseThrow(() -> new ConfigurationException(key + "token-endpoint is required"));
    Optional<URI> authorizationEndpoint =
        url(
            key + "authorization-endpoint",
            s.authorizationEndpoint().or(preset::authorizationEndpoint));
    Optional<URI> redirectUri = url(key + "redirect-uri", s.redirectUri());
    if (authorizationEndpoint.isPresent() && redirectUri.isEmpty()) {
      throw new ConfigurationException(
          key
              + "redirect-uri is required: the broker's public callback URL registered at the provider");
    }
    List<String> allowed = allowedScopes(key, s.scopes().orElse(preset.scopes()));
    List<String> defaults =
        defaultScopes(key, s.defaultScopes().orElse(preset.defaultScopes()), allowed);
    return new Provider(
        id,
        clientId,
        authorizationEndpoint,
        tokenEndpoint,
        url(key + "revocation-endpoint", s.revocationEndpoint().or(preset::revocationEndpoint)),
        url(key + "account-endpoint", s.accountEndpoint().or(preset::accountEndpoint)),
        s.accountIdField().orElse("id"),
        s.accountNameField().orElse("username"),
        s.clientAuth().orElse(ClientAuthMethod.BASIC),
        s.scopeSeparator().orElse(preset.scopeSeparator()),
        Collections.unmodifiableSet(new LinkedHashSet<>(allowed)),
        List.copyOf(defaults),
        s.pkce().orElse(PkceMode.S256),
        Map.copyOf(s.authorizationParams()),
        tokenParams(key, s, preset),
        redirectUri,
        positive(
            key + "access-token-refresh-margin",
            s.accessTokenRefreshMargin().orElse(preset.accessTokenRefreshMargin())),
        positive(
            key + "refresh-token-refresh-margin",
            s.refreshTokenRefreshMargin().orElse(preset.refreshTokenRefreshMargin())),
        positive(key + "connect-timeout", s.connectTimeout().orElse(Duration.ofSeconds(2))),
        positive(key + "read-timeout", s.readTimeout().orElse(Duration.ofSeconds(10))),
        s.clientCredentials().orElse(true),
        apiBaseUrl(key + "api-base-url", s.apiBaseUrl().or(preset::apiBaseUrl)),
        s.issueAccessTokens().orElse(true),
        ProxyRule.parseAll(key + "proxy-allow", s.proxyAllow().orElse(List.of())));
  }

  private static List<String> allowedScopes(String key, List<String> configured) {
    List<String> allowed = configured.stream().map(String::trim).toList();
    for (String scope : allowed) {
      if (!Scopes.isValidToken(scope)) {
        throw new ConfigurationException(key + "scopes: '" + scope + "' is not a valid scope");
      }
    }
    return allowed;
  }

  private static List<String> defaultScopes(
      String key, List<String> configured, List<String> allowed) {
    List<String> defaults = configured.stream().map(String::trim).toList();
    for (String scope : defaults) {
      if (!allowed.isEmpty() && !allowed.contains(scope)) {
        throw new ConfigurationException(
            key + "default-scopes: '" + scope + "' is not in " + key + "scopes");
      }
    }
    return defaults;
  }

  private static Map<String, String> tokenParams(
      String key, ProviderSettings s, ProviderPreset preset) {
    Map<String, String> params = new TreeMap<>(s.tokenParams());
    if (s.continuousRefresh().orElse(false)) {
      if (!preset.continuousRefresh()) {
        throw new ConfigurationException(
            key + "continuous-refresh applies to preset=pinterest only");
      }
      params.put("continuous_refresh", "true");
    }
    return Map.copyOf(params);
  }

  /**
   * The API root with a trailing slash, so that "under the base" is a plain prefix test; a query
   * would be merged with callers' queries in ways nobody expects, so it is refused.
   */
  private static Optional<URI> apiBaseUrl(String key, Optional<String> raw) {
    Optional<URI> url = url(key, raw);
    if (url.isEmpty()) {
      return url;
    }
    URI uri = url.get();
    if (uri.getRawQuery() != null) {
      throw new ConfigurationException(key + ": a query is not allowed in the API base URL");
    }
    String text = uri.toString();
    return Optional.of(URI.create(text.endsWith("/") ? text : text + "/"));
  }

  private static Optional<URI> url(String key, Optional<String> raw) {
    if (raw.isEmpty() || raw.get().isBlank()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(raw.get().trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
        throw new ConfigurationException(
            key + ": '" + raw.get() + "' is not an absolute http(s) URL");
      }
      if (uri.getUserInfo() != null || uri.getFragment() != null) {
        throw new ConfigurationException(
            key + ": a URL with user info or a fragment is not allowed");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw new ConfigurationException(key + ": '" + raw.get() + "' is not a valid URL");
    }
  }

  private static Duration positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new ConfigurationException(key + " must be positive");
    }
    return value;
  }
}
