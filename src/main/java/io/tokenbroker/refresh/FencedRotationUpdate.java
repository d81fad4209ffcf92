package io.tokenbroker.refresh;

import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditEntry;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionStore;
import io.tokenbroker.connection.StatusTransitions;
import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The rotation write, in the caller's transaction: one UPDATE fenced by the spent refresh token (it
 * also ends the lease and any failure state), the audit rows, and the row read back for a caller
 * that serves the new token. A statement rather than a locked read and a flush of the entity: this
 * is the scheduler's hot path, and the fence needs no more than the WHERE clause. Without the row
 * lock the status before the write is the one the lease was taken with: while the lease holds, only
 * its holder changes the status.
 *
 * <p>The spent refresh token is the fence, not the lease: a row that no longer holds it was written
 * since by someone else (an owner that took over after this lease ran out, or a person linking the
 * account again), and what it holds is newer than what this attempt got.
 */
@ApplicationScoped
class FencedRotationUpdate {

  private static final Logger LOG = Logger.getLogger(FencedRotationUpdate.class);

  /** The four forms of the statement: with or without a new refresh token and new scopes. */
  private static final String BOTH = statement(true, true);

  private static final String TOKENS_ONLY = statement(true, false);
  private static final String ACCESS_AND_SCOPES = statement(false, true);
  private static final String ACCESS_ONLY = statement(false, false);

  /** What the write found, and did. */
  record Written(
      RefreshResult.Outcome outcome, ConnectionSnapshot row, ConnectionStatus previous) {}

  private final EntityManager em;
  private final ConnectionStore store;
  private final AuditTrail audit;
  private final StatusTransitions transitions;

  FencedRotationUpdate(
      EntityManager em, ConnectionStore store, AuditTrail audit, StatusTransitions transitions) {
    this.em = em;
    this.store = store;
    this.audit = audit;
    this.transitions = transitions;
  }

  /** Runs in the caller's transaction. */
  Written apply(HeldLease lease, TokenResponse tokens, RefreshTrigger trigger, boolean readBack) {
    Instant now = Instant.now();
    ConnectionStore.Sealed sealed = store.seal(lease.id(), tokens);
    boolean newScopes = !tokens.scopes().isEmpty();
    Query update =
        em.createQuery(
                sealed.rotated()
                    ? (newScopes ? BOTH : TOKENS_ONLY)
                    : (newScopes ? ACCESS_AND_SCOPES : ACCESS_ONLY))
            .setParameter("access", sealed.accessTokenEnc())
            .setParameter("accessExpiry", sealed.accessTokenExpiresAt())
            .setParameter("now", now)
            .setParameter("active", ConnectionStatus.ACTIVE)
            .setParameter("id", lease.id())
            .setParameter("spent", lease.refreshTokenEnc())
            .setParameter("revoked", ConnectionStatus.REVOKED);
    if (sealed.rotated()) {
      update
          .setParameter("refresh", sealed.refreshTokenEnc())
          .setParameter("refreshExpiry", sealed.refreshTokenExpiresAt());
    }
    if (newScopes) {
      update.setParameter("scopes", Scopes.format(tokens.scopes()));
    }
    if (update.executeUpdate() == 0) {
      return fenced(lease);
    }
    audit.recordInTransaction(refresher(AuditAction.CONNECTION_REFRESHED, lease, trigger.wire()));
    if (lease.status() != ConnectionStatus.ACTIVE) {
      audit.recordInTransaction(
          refresher(
                  AuditAction.CONNECTION_STATUS_CHANGED,
                  lease,
                  trigger.wire() + ": recovered from " + lease.status().wire())
              .outcome("active"));
      transitions.changed(
          em.find(Connection.class, lease.id()), lease.status(), trigger.wire() + ": refreshed");
    }
    ConnectionSnapshot row =
        readBack ? ConnectionSnapshot.of(em.find(Connection.class, lease.id())) : null;
    return new Written(RefreshResult.Outcome.REFRESHED, row, lease.status());
  }

  private Written fenced(HeldLease lease) {
    Connection c = em.find(Connection.class, lease.id());
    if (c == null || c.status == ConnectionStatus.REVOKED) {
      return new Written(RefreshResult.Outcome.GONE, null, null);
    }
    LOG.errorf(
        "CRITICAL: connection %s was rotated or linked again while this replica refreshed it; the"
            + " tokens just obtained are discarded",
        lease.id());
    return new Written(RefreshResult.Outcome.ALREADY_FRESH, ConnectionSnapshot.of(c), null);
  }

  private static AuditEntry refresher(AuditAction action, HeldLease lease, String detail) {
    return AuditEntry.of(action, "refresher")
        .provider(lease.provider())
        .connection(lease.id())
        .detail(detail);
  }

  private static String statement(boolean rotated, boolean newScopes) {
    return "update Connection c set c.accessTokenEnc = :access,"
        + " c.accessTokenExpiresAt = :accessExpiry,"
        + (rotated
            ? " c.refreshTokenEnc = :refresh, c.refreshTokenExpiresAt = :refreshExpiry,"
                + " c.refreshTokenIssuedAt = :now,"
            : "")
        + (newScopes ? " c.scopes = :scopes," : "")
        + " c.lastRefreshedAt = :now, c.status = :active, c.failureCount = 0,"
        + " c.lastError = null, c.nextRefreshAt = null, c.leaseOwner = null,"
        + " c.leaseExpiresAt = null, c.updatedAt = :now, c.version = c.version + 1"
        + " where c.id = :id and c.refreshTokenEnc = :spent and c.status <> :revoked";
  }
}
