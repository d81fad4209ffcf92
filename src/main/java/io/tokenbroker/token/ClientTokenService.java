package io.tokenbroker.token;

import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.grant.ClientCredentialsGrant;
import io.tokenbroker.grant.GrantException;
import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.provider.Scopes;
import io.tokenbroker.refresh.SingleFlight;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * App tokens (client-credentials grant): one shared token per provider and normalised scope set,
 * kept sealed in memory, fetched again before it would not live the asked lifetime, with one
 * upstream call however many callers ask at once.
 */
@ApplicationScoped
public class ClientTokenService {

  private record Key(String provider, String scopes) {}

  private record Held(String sealed, Instant expiresAt, Set<String> scopes) {
    boolean lives(Duration ttl) {
      return expiresAt == null || !expiresAt.isBefore(Instant.now().plus(ttl));
    }
  }

  private final Map<Key, Held> held = new ConcurrentHashMap<>();
  private final SingleFlight<Key, Held> flights = new SingleFlight<>();
  private final ProviderCatalog providers;
  private final ClientCredentialsGrant grant;
  private final TokenCipher cipher;
  private final CallerPolicy policy;
  private final TokenConfig config;
  private final AuditTrail audit;

  ClientTokenService(
      ProviderCatalog providers,
      ClientCredentialsGrant grant,
      TokenCipher cipher,
      CallerPolicy policy,
      TokenConfig config,
      AuditTrail audit) {
    this.providers = providers;
    this.grant = grant;
    this.cipher = cipher;
    this.policy = policy;
    this.config = config;
    this.audit = audit;
  }

  public IssuedToken issue(Caller caller, String providerId, TokenRequest request) {
    Provider provider = providers.require(providerId);
    policy.requireClientCredentials(caller, provider.id());
    if (!provider.clientCredentialsEnabled()) {
      throw BrokerException.invalid("Provider '" + provider.id() + "' does not issue app tokens.");
    }
    Duration minTtl = TokenRequests.minTtl(request, config);
    Set<String> asked = TokenRequests.scopes(request);
    // No scopes asked means the provider's default app token: sending no scope at all makes
    // providers that require one (Pinterest) refuse the grant, which the caller would see as a 502.
    Set<String> scopes = asked.isEmpty() ? Scopes.of(provider.defaultScopes()) : asked;
    for (String scope : scopes) {
      if (!provider.allowsScope(scope)) {
        throw BrokerException.invalid(
            "scopes: '" + scope + "' is not allowed for provider '" + provider.id() + "'.");
      }
    }
    Key key = new Key(provider.id(), Scopes.format(scopes));
    Held token = held.get(key);
    if (token == null || !token.lives(minTtl)) {
      token = fetchOnce(key, provider, scopes, minTtl);
    }
    audit.issued(AuditAction.CLIENT_TOKEN_ISSUED, caller.name(), provider.id(), null, key.scopes());
    return new IssuedToken(
        cipher.decrypt(token.sealed(), aad(key)),
        "Bearer",
        token.expiresAt(),
        token.expiresAt() == null
            ? null
            : Math.max(0, Duration.between(Instant.now(), token.expiresAt()).toSeconds()),
        List.copyOf(new TreeSet<>(token.scopes())));
  }

  private Held fetchOnce(Key key, Provider provider, Set<String> scopes, Duration minTtl) {
    try {
      return flights.run(
          key,
          () -> {
            Held current = held.get(key);
            if (current != null && current.lives(minTtl)) {
              return current;
            }
            TokenResponse response = grant.request(provider, scopes);
            Held fresh =
                new Held(
                    cipher.encrypt(response.accessToken(), aad(key)),
                    response.accessTokenExpiresAt().orElse(null),
                    response.scopes().isEmpty() ? scopes : response.scopes());
            held.put(key, fresh);
            return fresh;
          });
    } catch (GrantException e) {
      // While the provider is down, a token that still lives beats none.
      Held current = held.get(key);
      if (e.failure().kind().isTransient()
          && current != null
          && current.lives(Duration.ofSeconds(1))) {
        return current;
      }
      throw e;
    }
  }

  private static String aad(Key key) {
    return TokenCipher.aad("client_token", key.provider(), key.scopes());
  }
}
