package io.tokenbroker.provider;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.provider.ProvidersConfig.ProviderSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
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
  private static final Duration DEFAULT_ACCESS_MARGIN = Duration.ofMinutes(5);
  private static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofDays(1);

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
    boolean pinterest = false;
    if (s.preset().isPresent()) {
      String preset = s.preset().get().trim().toLowerCase(Locale.ROOT);
      if (!preset.equals(PinterestPreset.NAME)) {
        throw new ConfigurationException(
            key + "preset: unknown preset '" + s.preset().get() + "' (known: pinterest)");
      }
      pinterest = true;
    }
    final boolean p = pinterest;
    Function<String, Optional<String>> preset = value -> p ? Optional.of(value) : Optional.empty();

    String clientId =
        s.clientId()
            .filter(v -> !v.isBlank())
            .orElseThrow(() -> new ConfigurationException(key + "client-id is required"));
    URI tokenEndpoint =
        url(
                key + "token-endpoint",
                s.tokenEndpoint().or(() -> preset.apply(PinterestPreset.TOKEN_ENDPOINT)))
            .orElseThrow(() -> new ConfigurationException(key + "token-endpoint is required"));
    Optional<URI> authorizationEndpoint =
        url(
            key + "authorization-endpoint",
            s.authorizationEndpoint()
                .or(() -> preset.apply(PinterestPreset.AUTHORIZATION_ENDPOINT)));
    Optional<URI> redirectUri = url(key + "redirect-uri", s.redirectUri());
    if (authorizationEndpoint.isPresent() && redirectUri.isEmpty()) {
      throw new ConfigurationException(
          key
              + "redirect-uri is required: the broker's public callback URL registered at the provider");
    }
    List<String> allowed =
        s.scopes().orElse(p ? PinterestPreset.SCOPES : List.of()).stream()
            .map(String::trim)
            .toList();
    List<String> defaults =
        s.defaultScopes().orElse(p ? PinterestPreset.DEFAULT_SCOPES : List.of()).stream()
            .map(String::trim)
            .toList();
    for (String scope : allowed) {
      if (!Scopes.isValidToken(scope)) {
        throw new ConfigurationException(key + "scopes: '" + scope + "' is not a valid scope");
      }
    }
    for (String scope : defaults) {
      if (!allowed.isEmpty() && !allowed.contains(scope)) {
        throw new ConfigurationException(
            key + "default-scopes: '" + scope + "' is not in " + key + "scopes");
      }
    }
    Map<String, String> tokenParams = new TreeMap<>(s.tokenParams());
    if (s.continuousRefresh().orElse(false)) {
      if (!p) {
        throw new ConfigurationException(
            key + "continuous-refresh applies to preset=pinterest only");
      }
      tokenParams.put("continuous_refresh", "true");
    }
    return new Provider(
        id,
        clientId,
        authorizationEndpoint,
        tokenEndpoint,
        url(
            key + "revocation-endpoint",
            s.revocationEndpoint().or(() -> preset.apply(PinterestPreset.REVOCATION_ENDPOINT))),
        url(
            key + "account-endpoint",
            s.accountEndpoint().or(() -> preset.apply(PinterestPreset.ACCOUNT_ENDPOINT))),
        s.accountIdField().orElse("id"),
        s.accountNameField().orElse("username"),
        enumValue(key + "client-auth", s.clientAuth().orElse("basic"), ClientAuthMethod.class),
        s.scopeSeparator().orElse(p ? "," : " "),
        Collections.unmodifiableSet(new LinkedHashSet<>(allowed)),
        List.copyOf(defaults),
        enumValue(key + "pkce", s.pkce().orElse("s256"), PkceMode.class),
        Map.copyOf(s.authorizationParams()),
        Map.copyOf(tokenParams),
        redirectUri,
        positive(
            key + "access-token-refresh-margin",
            s.accessTokenRefreshMargin()
                .orElse(p ? PinterestPreset.ACCESS_TOKEN_MARGIN : DEFAULT_ACCESS_MARGIN)),
        positive(
            key + "refresh-token-refresh-margin",
            s.refreshTokenRefreshMargin()
                .orElse(p ? PinterestPreset.REFRESH_TOKEN_MARGIN : DEFAULT_REFRESH_MARGIN)),
        positive(key + "connect-timeout", s.connectTimeout().orElse(Duration.ofSeconds(2))),
        positive(key + "read-timeout", s.readTimeout().orElse(Duration.ofSeconds(10))),
        s.clientCredentials().orElse(true),
        apiBaseUrl(
            key + "api-base-url",
            s.apiBaseUrl().or(() -> preset.apply(PinterestPreset.API_BASE_URL))),
        s.issueAccessTokens().orElse(true),
        ProxyRule.parseAll(key + "proxy-allow", s.proxyAllow().orElse(List.of())));
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

  private static <E extends Enum<E>> E enumValue(String key, String raw, Class<E> type) {
    try {
      return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        names.add(constant.name().toLowerCase(Locale.ROOT));
      }
      throw new ConfigurationException(key + ": '" + raw + "' is not one of " + names);
    }
  }

  private static Duration positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new ConfigurationException(key + " must be positive");
    }
    return value;
  }
}
