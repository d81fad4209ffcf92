package io.tokenbroker.connection;

import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
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
   * upstream account is linked again (new tokens, scopes and status).
   *
   * <p>Who may use it afterwards must be what an administrator meant: a live connection keeps its
   * callers unless the new authorization names callers (then those replace them); a deleted ({@code
   * revoked}) connection starts again with exactly the new authorization's callers, none if it
   * names none, because the callers of the deleted one were meant to lose access with it.
   *
   * @return the connection id, whether it was created, and what happened to its callers
   */
  @Transactional
  public Linked link(LinkedGrant grant) {
    Instant now = Instant.now();
    Connection c = connections.findByAccount(grant.provider(), grant.accountId()).orElse(null);
    boolean created = c == null;
    boolean wasDeleted = !created && c.status == ConnectionStatus.REVOKED;
    Set<String> callersBefore = created ? Set.of() : new TreeSet<>(c.allowedCallers);
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
    CallerChange callers;
    if (created) {
      callers = CallerChange.SET;
    } else if (wasDeleted) {
      callers = CallerChange.RESET_AFTER_DELETE;
    } else if (!grant.allowedCallers().isEmpty()) {
      callers = CallerChange.REPLACED;
    } else {
      callers = CallerChange.KEPT;
    }
    if (callers != CallerChange.KEPT) {
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
    return new Linked(
        c.id, created, callers, Set.copyOf(callersBefore), Set.copyOf(c.allowedCallers));
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

  /** What linking did to the connection's callers. */
  public enum CallerChange {
    /** A new connection: the authorization's callers. */
    SET,
    /** A live connection linked again without callers named: its callers stay. */
    KEPT,
    /** A live connection linked again with callers named: they replace the old ones. */
    REPLACED,
    /**
     * A deleted connection linked again: only the authorization's callers, the old ones dropped.
     */
    RESET_AFTER_DELETE
  }

  /** A linked connection, with its callers before and after. */
  public record Linked(
      UUID connectionId,
      boolean created,
      CallerChange callerChange,
      Set<String> callersBefore,
      Set<String> callersAfter) {

    /** For the audit row: what happened to the callers, by name (names are not secret). */
    public String callersDetail() {
      String after = String.join(",", new TreeSet<>(callersAfter));
      String before = String.join(",", new TreeSet<>(callersBefore));
      return switch (callerChange) {
        case SET -> "callers set: [" + after + "]";
        case KEPT -> "callers kept: [" + after + "]";
        case REPLACED -> "callers replaced: [" + before + "] -> [" + after + "]";
        case RESET_AFTER_DELETE ->
            "deleted connection linked again; callers reset: [" + before + "] -> [" + after + "]";
      };
    }
  }
}
