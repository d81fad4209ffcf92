package io.tokenbroker.support;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionStore;
import io.tokenbroker.connection.LinkedGrant;
import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Links a stand-in account without a browser: the stand-in mints a real grant and the broker stores
 * it through its real connection store (encrypted, as a callback would).
 */
public final class LinkedAccounts {

  private LinkedAccounts() {}

  public static Linked link(PinterestStandIn pinterest, String username, String... callers) {
    IssuedTokens grant =
        pinterest.issueGrant(username, "boards:read", "pins:read", "user_accounts:read");
    return new Linked(store(grant, callers), grant);
  }

  /**
   * Links an account of its own: a new username from {@code prefix} each call, so tests that link
   * many accounts against one stand-in never reuse one.
   */
  public static Linked linkNew(PinterestStandIn pinterest, String prefix, String... callers) {
    return link(pinterest, prefix + "-" + UUID.randomUUID(), callers);
  }

  /** Stores a grant the stand-in issued as a linked Pinterest connection; returns its id. */
  public static UUID store(IssuedTokens grant, String... callers) {
    TokenResponse tokens =
        new TokenResponse(
            grant.accessToken(),
            "bearer",
            Optional.of(grant.accessTokenExpiresAt()),
            Optional.of(grant.refreshToken()),
            Optional.of(grant.refreshTokenExpiresAt()),
            grant.scopes(),
            Instant.now());
    ConnectionStore store = Arc.container().instance(ConnectionStore.class).get();
    UUID id =
        store
            .link(
                new LinkedGrant(
                    "pinterest",
                    grant.account().id(),
                    Optional.of(grant.account().username()),
                    tokens,
                    grant.scopes(),
                    Set.of(callers),
                    Optional.empty(),
                    "test"))
            .connectionId();
    // As if linked a while ago: the token path treats tokens obtained moments ago as the best the
    // provider will give and does not refresh them again at once.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Connection.update(
                    "lastRefreshedAt = ?1 where id = ?2", Instant.now().minusSeconds(600), id));
    return id;
  }

  public record Linked(UUID id, IssuedTokens grant) {}
}
