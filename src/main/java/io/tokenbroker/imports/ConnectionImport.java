package io.tokenbroker.imports;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditEntry;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.authorization.AccountLookup;
import io.tokenbroker.connection.ConnectionRepository;
import io.tokenbroker.connection.ConnectionStore;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.connection.LinkedGrant;
import io.tokenbroker.grant.GrantException;
import io.tokenbroker.grant.RefreshTokenGrant;
import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Imports an existing grant: proves the refresh token with one refresh (which also gives the broker
 * a pair nobody else holds), identifies the account, and links it through {@link
 * ConnectionStore#link} exactly as a completed authorization would, so an account that is already
 * linked follows the callback's rules. Nothing is stored unless all of that succeeded.
 */
@ApplicationScoped
public class ConnectionImport {

  private static final Logger LOG = Logger.getLogger(ConnectionImport.class);

  /** Account lookups after the refresh: the refresh token is spent by then, so try harder. */
  private static final int LOOKUP_ATTEMPTS = 3;

  private final ProviderCatalog providers;
  private final RefreshTokenGrant refreshGrant;
  private final AccountLookup accounts;
  private final ConnectionStore store;
  private final ConnectionRepository connections;
  private final AuditTrail audit;

  ConnectionImport(
      ProviderCatalog providers,
      RefreshTokenGrant refreshGrant,
      AccountLookup accounts,
      ConnectionStore store,
      ConnectionRepository connections,
      AuditTrail audit) {
    this.providers = providers;
    this.refreshGrant = refreshGrant;
    this.accounts = accounts;
    this.store = store;
    this.connections = connections;
    this.audit = audit;
  }

  public ImportResult importGrant(ImportRequest body, String actor) {
    Provider provider =
        providers
            .find(body.provider())
            .orElseThrow(
                () -> BrokerException.invalid("provider: no such provider is configured."));
    Set<String> declaredScopes = checkedScopes(provider, body.scopes());
    // Identify the account first when the old access token still works: a lookup that fails
    // before the refresh costs nothing, one that fails after it has spent the refresh token.
    Optional<AccountLookup.Account> account = accountBeforeRefresh(provider, body, actor);
    TokenResponse tokens = refresh(provider, body.refreshToken(), actor);
    AccountLookup.Account owner =
        account.isPresent() ? account.get() : accountAfterRefresh(provider, tokens, actor);
    Set<String> granted = tokens.scopes().isEmpty() ? declaredScopes : tokens.scopes();
    ConnectionStore.Linked linked =
        store.link(
            new LinkedGrant(
                provider.id(),
                owner.id(),
                owner.name(),
                tokens,
                granted,
                Set.copyOf(body.allowedCallers()),
                Optional.ofNullable(body.label()),
                actor));
    audit.record(
        AuditEntry.of(AuditAction.CONNECTION_IMPORTED, actor)
            .outcome(linked.created() ? "created" : "updated")
            .provider(provider.id())
            .connection(linked.connectionId()));
    ConnectionView view =
        QuarkusTransaction.requiringNew()
            .call(() -> ConnectionView.of(connections.findById(linked.connectionId())));
    return new ImportResult(view, linked.created());
  }

  private Optional<AccountLookup.Account> accountBeforeRefresh(
      Provider provider, ImportRequest body, String actor) {
    if (body.accessToken() == null
        || body.accessToken().isBlank()
        || (body.accessTokenExpiresAt() != null
            && !body.accessTokenExpiresAt().isAfter(Instant.now()))) {
      return Optional.empty();
    }
    try {
      return Optional.of(accounts.lookup(provider, body.accessToken()));
    } catch (BrokerException e) {
      if (e.code() == ProblemCode.UPSTREAM_UNAVAILABLE) {
        throw failed(actor, provider, ProblemCode.UPSTREAM_UNAVAILABLE, e.detail(), e);
      }
      // An expired or revoked access token says nothing about the refresh token.
      return Optional.empty();
    }
  }

  private TokenResponse refresh(Provider provider, String refreshToken, String actor) {
    TokenResponse tokens;
    try {
      tokens = refreshGrant.refresh(provider, refreshToken);
    } catch (GrantException e) {
      ProblemCode code =
          e.failure().kind().isTransient()
              ? ProblemCode.UPSTREAM_UNAVAILABLE
              : ProblemCode.GRANT_REJECTED;
      BrokerException answer = failed(actor, provider, code, e.detail(), e);
      e.retryAfter().ifPresent(answer::retryAfter);
      throw answer;
    } catch (BrokerException e) {
      // The broker could not even ask (e.g. the client secret is unavailable): nothing was spent.
      throw failed(actor, provider, ProblemCode.SERVICE_UNAVAILABLE, e.detail(), e);
    }
    // A provider that does not rotate keeps the imported token valid; store that one.
    return tokens.refreshToken().isPresent()
        ? tokens
        : new TokenResponse(
            tokens.accessToken(),
            tokens.tokenType(),
            tokens.accessTokenExpiresAt(),
            Optional.of(refreshToken),
            tokens.refreshTokenExpiresAt(),
            tokens.scopes(),
            tokens.receivedAt());
  }

  private AccountLookup.Account accountAfterRefresh(
      Provider provider, TokenResponse tokens, String actor) {
    BrokerException last = null;
    for (int attempt = 1; attempt <= LOOKUP_ATTEMPTS; attempt++) {
      try {
        return accounts.lookup(provider, tokens.accessToken());
      } catch (BrokerException e) {
        last = e;
        if (e.code() != ProblemCode.UPSTREAM_UNAVAILABLE) {
          break;
        }
        pause(Duration.ofMillis(250L * attempt));
      }
    }
    LOG.warnf(
        "import for provider %s: the refresh succeeded but the account could not be identified"
            + " (%s); the new tokens are discarded",
        provider.id(), last.detail());
    ProblemCode code =
        last.code() == ProblemCode.UPSTREAM_UNAVAILABLE
            ? ProblemCode.UPSTREAM_UNAVAILABLE
            : ProblemCode.GRANT_REJECTED;
    throw failed(
        actor,
        provider,
        code,
        last.detail()
            + " The refresh token was accepted and may have been replaced by the provider; pass"
            + " access_token so the account is identified before the refresh token is spent.",
        last);
  }

  private BrokerException failed(
      String actor, Provider provider, ProblemCode code, String detail, Throwable cause) {
    audit.record(
        AuditEntry.of(AuditAction.CONNECTION_IMPORT_FAILED, actor)
            .outcome(code.code())
            .provider(provider.id())
            .detail(detail));
    BrokerException e = new BrokerException(code, detail, cause);
    if (code.status() == 503) {
      e.retryAfter(Duration.ofSeconds(5));
    }
    return e;
  }

  private static Set<String> checkedScopes(Provider provider, List<String> scopes) {
    Set<String> checked = new TreeSet<>();
    for (String scope : scopes == null ? List.<String>of() : scopes) {
      if (!Scopes.isValidToken(scope)) {
        throw BrokerException.invalid(
            "scopes: each scope must be one token without separators or control characters.");
      }
      if (!provider.allowsScope(scope)) {
        throw BrokerException.invalid(
            "scopes: '" + scope + "' is not allowed for provider '" + provider.id() + "'.");
      }
      checked.add(scope);
    }
    return checked;
  }

  private static void pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
