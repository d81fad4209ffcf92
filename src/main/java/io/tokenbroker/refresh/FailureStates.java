package io.tokenbroker.refresh;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditEntry;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.StatusTransitions;
import io.tokenbroker.grant.GrantFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Writes what a failed attempt means for its connection: {@code degraded} with a backoff, or {@code
 * reauthorization_required}. Each is written under the row lock and only to the row the attempt
 * started from: an owner that outlived its lease must not mark degraded or dead a connection that
 * another owner has rotated since, and nothing may bring a deleted connection back.
 */
@ApplicationScoped
class FailureStates {

  private static final Logger LOG = Logger.getLogger(FailureStates.class);

  private final EntityManager em;
  private final AuditTrail audit;
  private final StatusTransitions transitions;
  private final RefreshConfig config;

  FailureStates(
      EntityManager em, AuditTrail audit, StatusTransitions transitions, RefreshConfig config) {
    this.em = em;
    this.audit = audit;
    this.transitions = transitions;
    this.config = config;
  }

  /** The grant is dead, by the provider's explicit verdict ({@code why}). */
  Attempt reauthorizationRequired(HeldLease lease, RefreshTrigger trigger, String why) {
    String reason = trigger.wire() + ": " + why;
    Change change =
        changeUnlessMoved(
            lease,
            reason,
            c -> {
              c.status = ConnectionStatus.REAUTHORIZATION_REQUIRED;
              c.lastError = truncate(why);
              c.nextRefreshAt = null;
            },
            previous ->
                previous == ConnectionStatus.REAUTHORIZATION_REQUIRED
                    ? AuditAction.CONNECTION_REFRESH_FAILED
                    : AuditAction.CONNECTION_STATUS_CHANGED,
            "reauthorization_required");
    if (change.skipped() != null) {
      LOG.infof(
          "connection %s was rotated by another replica or deleted meanwhile; keeping its state",
          lease.id());
      return Attempt.leaseKept(RefreshResult.of(change.skipped(), change.row()));
    }
    LOG.warnf("connection %s needs reauthorization: %s", lease.id(), why);
    return Attempt.leaseEnded(
        RefreshResult.of(RefreshResult.Outcome.REAUTHORIZATION_REQUIRED, change.row()));
  }

  /** A transient failure: retried after a backoff that grows with the failures in a row. */
  Attempt degraded(HeldLease lease, RefreshTrigger trigger, GrantFailure failure) {
    Change change =
        changeUnlessMoved(
            lease,
            trigger.wire() + ": " + failure,
            c -> {
              c.failureCount = c.failureCount + 1;
              Duration delay =
                  Backoff.after(
                      c.failureCount,
                      config.backoffBase(),
                      config.backoffMax(),
                      config.maxAttemptsPerHour(),
                      failure.retryAfter());
              c.nextRefreshAt = Instant.now().plus(delay);
              c.lastError = truncate(failure.toString());
              c.status = ConnectionStatus.DEGRADED;
            },
            previous ->
                previous != ConnectionStatus.DEGRADED
                    ? AuditAction.CONNECTION_STATUS_CHANGED
                    : AuditAction.CONNECTION_REFRESH_FAILED,
            null);
    if (change.skipped() != null) {
      LOG.infof(
          "connection %s refresh failed (%s) but another replica rotated or deleted it meanwhile;"
              + " keeping its state",
          lease.id(), failure);
      return Attempt.leaseKept(RefreshResult.of(change.skipped(), change.row()));
    }
    Instant retryAt = change.row().nextRefreshAt();
    LOG.warnf("connection %s refresh failed (%s); retry at %s", lease.id(), failure, retryAt);
    return Attempt.leaseEnded(RefreshResult.retryLater(change.row(), failure, retryAt));
  }

  /**
   * A failure state written under the row lock: applied ({@code skipped} null), or skipped with the
   * outcome that says why.
   */
  private record Change(ConnectionSnapshot row, RefreshResult.Outcome skipped) {}

  /**
   * Applies {@code change}, ends the lease, records the audit row and announces the status change
   * ({@code reason}) in one transaction, only while the row still holds the refresh token this
   * attempt started from and is not deleted. Checked under the lock, so that no rotation can land
   * between the check and the change.
   *
   * @param auditAction the audit action, given the status before the change
   * @param outcome the audit outcome; null: the status after the change, or {@code retry_later}
   *     when it did not change
   */
  private Change changeUnlessMoved(
      HeldLease lease,
      String reason,
      Consumer<Connection> change,
      Function<ConnectionStatus, AuditAction> auditAction,
      String outcome) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Connection c = em.find(Connection.class, lease.id(), LockModeType.PESSIMISTIC_WRITE);
              if (c == null || c.status == ConnectionStatus.REVOKED) {
                return new Change(null, RefreshResult.Outcome.GONE);
              }
              if (!Objects.equals(c.refreshTokenEnc, lease.refreshTokenEnc())) {
                return new Change(ConnectionSnapshot.of(c), RefreshResult.Outcome.ALREADY_FRESH);
              }
              ConnectionStatus previous = c.status;
              change.accept(c);
              c.updatedAt = Instant.now();
              lease.clearFrom(c);
              audit.recordInTransaction(
                  AuditEntry.of(auditAction.apply(previous), "refresher")
                      .outcome(outcomeOf(outcome, previous, c.status))
                      .provider(c.provider)
                      .connection(c.id)
                      .detail(reason));
              transitions.changed(c, previous, reason);
              em.flush();
              return new Change(ConnectionSnapshot.of(c), null);
            });
  }

  private static String outcomeOf(String fixed, ConnectionStatus before, ConnectionStatus after) {
    if (fixed != null) {
      return fixed;
    }
    return before == after ? "retry_later" : after.wire();
  }

  private static String truncate(String text) {
    return text.length() > 500 ? text.substring(0, 500) : text;
  }
}
