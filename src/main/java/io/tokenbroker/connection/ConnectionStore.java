package io.tokenbroker.connection;

import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes grants into connections. Token values only ever reach the database sealed by the {@link
 * TokenCipher}, bound to their row and column.
 */
@ApplicationScoped
public class ConnectionStore {

  static final String TABLE = "connection";

  private final ConnectionRepository connections;
  private final TokenCipher cipher;
  private final StatusTransitions transitions;

  ConnectionStore(
      ConnectionRepository connections, TokenCipher cipher, StatusTransitions transitions) {
    this.connections = connections;
    this.cipher = cipher;
    this.transitions = transitions;
  }

  /**
   * Creates the connection of a newly linked account, or updates the existing one when the same
   * upstream account is linked again (new tokens, scopes and status; callers replaced only when the
   * new authorization names some).
   *
   * @return the connection id and whether it was created
   */
  @Transactional
  public Linked link(LinkedGrant grant) {
    Instant now = Instant.now();
    Connection c = connections.findByAccount(grant.provider(), grant.accountId()).orElse(null);
    boolean created = c == null;
    ConnectionStatus previous = created ? null : c.status;
    if (created) {
      c = new Connection();
      c.id = UUID.randomUUID();
      c.provider = grant.provider();
      c.accountId = grant.accountId();
      c.createdAt = now;
      c.createdBy = grant.linkedBy();
    }
    c.accountUsername = grant.accountName().orElse(c.accountUsername);
    c.label = grant.label().orElse(c.label);
    c.scopes = Scopes.format(grant.grantedScopes());
    if (created || !grant.allowedCallers().isEmpty()) {
      c.allowedCallers.clear();
      c.allowedCallers.addAll(grant.allowedCallers());
    }
    writeTokens(c, grant.tokens(), now);
    c.status = ConnectionStatus.ACTIVE;
    c.failureCount = 0;
    c.lastError = null;
    c.updatedAt = now;
    if (created) {
      connections.persist(c);
    }
    transitions.linked(c, previous, created ? "linked" : "linked again");
    return new Linked(c.id, created);
  }

  /** Seals and stores new tokens; a response without a refresh token keeps the stored one. */
  public void writeTokens(Connection c, TokenResponse tokens, Instant now) {
    Sealed sealed = seal(c.id, tokens);
    c.accessTokenEnc = sealed.accessTokenEnc();
    c.accessTokenExpiresAt = sealed.accessTokenExpiresAt();
    if (sealed.rotated()) {
      c.refreshTokenEnc = sealed.refreshTokenEnc();
      c.refreshTokenExpiresAt = sealed.refreshTokenExpiresAt();
      c.refreshTokenIssuedAt = now;
    }
    c.lastRefreshedAt = now;
  }

  /**
   * New tokens sealed for the columns of connection {@code id}, for writers that update the row
   * with a statement rather than through the entity; {@link #writeTokens} says which columns they
   * go to.
   */
  public Sealed seal(UUID id, TokenResponse tokens) {
    String access =
        cipher.encrypt(tokens.accessToken(), TokenCipher.aad(TABLE, id, "access_token"));
    String refresh =
        tokens
            .refreshToken()
            .map(t -> cipher.encrypt(t, TokenCipher.aad(TABLE, id, "refresh_token")))
            .orElse(null);
    return new Sealed(
        access,
        tokens.accessTokenExpiresAt().orElse(null),
        refresh,
        refresh == null ? null : tokens.refreshTokenExpiresAt().orElse(null));
  }

  /**
   * Sealed tokens of one response; {@code refreshTokenEnc} is null when the provider kept the
   * refresh token (the stored one, with its expiry and issue time, stays).
   */
  public record Sealed(
      String accessTokenEnc,
      Instant accessTokenExpiresAt,
      String refreshTokenEnc,
      Instant refreshTokenExpiresAt) {

    public boolean rotated() {
      return refreshTokenEnc != null;
    }
  }

  /** Opens a stored access token; only ever for handing it to an allowed caller. */
  public String openAccessToken(UUID connectionId, String sealed) {
    return cipher.decrypt(sealed, TokenCipher.aad(TABLE, connectionId, "access_token"));
  }

  /** Opens a stored refresh token; only ever for sending it to the provider's token endpoint. */
  public String openRefreshToken(UUID connectionId, String sealed) {
    return cipher.decrypt(sealed, TokenCipher.aad(TABLE, connectionId, "refresh_token"));
  }

  public record Linked(UUID connectionId, boolean created) {}
}
