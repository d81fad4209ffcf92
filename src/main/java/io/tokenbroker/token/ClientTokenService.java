package io.tokenbroker.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import io.tokenbroker.shared.SingleFlight;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * App tokens (client-credentials grant): one shared token per provider and normalised scope set,
 * kept sealed in memory, fetched again before it would not live the asked lifetime, with one
 * upstream call however many callers ask at once.
 *
 * <p>Every scope set is an upstream call and an entry here, so both are bounded: a caller may name
 * only scopes of the provider's allow-list ({@code broker.providers.<id>.scopes}), or, for a
 * provider without one, only its default scopes; and at most {@link #MAX_HELD} tokens are held, the
 * least recently used going first (a dropped one is simply fetched again).
 */
@ApplicationScoped
public class ClientTokenService {

  private record Key(String provider, String scopes) {}

  private record Held(String sealed, Instant expiresAt, Set<String> scopes) {
    boolean lives(Duration ttl) {
      return expiresAt == null || !expiresAt.isBefore(Instant.now().plus(ttl));
    }
  }

  /** Far more scope sets than a real deployment's app tokens, few enough to bound the memory. */
  static final int MAX_HELD = 1000;

  private final Cache<Key, Held> held = Caffeine.newBuilder().maximumSize(MAX_HELD).build();
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
    if (!mayAskFor(provider, scopes)) {
      // The scopes are not quoted: problem details never echo request input.
      throw BrokerException.invalid(
          "scopes: only the scopes provider '"
              + provider.id()
              + "' allows for app tokens may be asked for (GET /v1/providers lists them).");
    }
    Key key = new Key(provider.id(), Scopes.format(scopes));
    Held token = held.getIfPresent(key);
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
            Held current = held.getIfPresent(key);
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
      Held current = held.getIfPresent(key);
      if (e.failure().kind().isTransient()
          && current != null
          && current.lives(Duration.ofSeconds(1))) {
        return current;
      }
      throw e;
    }
  }

  /**
   * The provider's allow-list, or its default scopes where it has none: {@link
   * Provider#allowsScope} lets anything through an empty allow-list, which would let callers mint
   * one upstream token per invented scope.
   */
  static boolean mayAskFor(Provider provider, Set<String> scopes) {
    Set<String> permitted =
        provider.allowedScopes().isEmpty()
            ? Set.copyOf(provider.defaultScopes())
            : provider.allowedScopes();
    return permitted.containsAll(scopes);
  }

  /** How many app tokens are held now; for tests of the bound. */
  long heldCount() {
    held.cleanUp();
    return held.estimatedSize();
  }

  private static String aad(Key key) {
    return TokenCipher.aad("client_token", key.provider(), key.scopes());
  }
}
