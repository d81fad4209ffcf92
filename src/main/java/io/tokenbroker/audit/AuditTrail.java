package io.tokenbroker.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import org.hibernate.Session;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Records who did what to which connection, with which outcome: a row in {@code audit_event} and
 * one structured log line on the {@code token-broker.audit} category. Callers pass only identifiers
 * and short words; nothing recorded here may carry a token or a secret.
 */
@ApplicationScoped
public class AuditTrail {

  private static final Logger LOG = Logger.getLogger("token-broker.audit");
  private static final int MAX_DETAIL = 1024;
  private static final int BATCH = 1000;
  private static final String INSERT =
      "INSERT INTO audit_event (occurred_at, actor, action, outcome, provider, connection_id,"
          + " request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  private final BlockingDeque<AuditEvent> pending = new LinkedBlockingDeque<>(100_000);
  private final EntityManager em;
  private final TransactionSynchronizationRegistry transactions;

  AuditTrail(EntityManager em, TransactionSynchronizationRegistry transactions) {
    this.em = em;
    this.transactions = transactions;
  }

  /**
   * Records in its own transaction, so a denial is kept even when the caller's transaction rolls
   * back.
   */
  public void record(
      String actor,
      AuditAction action,
      String outcome,
      String provider,
      UUID connectionId,
      String detail) {
    AuditEvent event = event(actor, action, outcome, provider, connectionId, detail);
    QuarkusTransaction.requiringNew().run(event::persist);
    log(event);
  }

  /**
   * Records as part of the caller's transaction, so that the row commits or rolls back with the
   * change it describes (one commit instead of two); the log line follows the commit.
   */
  public void recordInTransaction(
      String actor,
      AuditAction action,
      String outcome,
      String provider,
      UUID connectionId,
      String detail) {
    AuditEvent event = event(actor, action, outcome, provider, connectionId, detail);
    event.persist();
    transactions.registerInterposedSynchronization(new LogAfterCommit(event));
  }

  private record LogAfterCommit(AuditEvent event) implements Synchronization {
    @Override
    public void beforeCompletion() {}

    @Override
    public void afterCompletion(int status) {
      if (status == Status.STATUS_COMMITTED) {
        log(event);
      }
    }
  }

  private static AuditEvent event(
      String actor,
      AuditAction action,
      String outcome,
      String provider,
      UUID connectionId,
      String detail) {
    AuditEvent event = new AuditEvent();
    event.occurredAt = Instant.now();
    event.actor = actor == null ? "anonymous" : truncate(actor, 255);
    event.action = action.wire();
    event.outcome = outcome;
    event.provider = provider;
    event.connectionId = connectionId;
    Object requestId = MDC.get("request_id");
    event.requestId = requestId == null ? null : requestId.toString();
    event.detail = detail == null ? null : truncate(detail, MAX_DETAIL);
    return event;
  }

  private static void log(AuditEvent event) {
    log(event, Logger.Level.INFO);
  }

  private static void log(AuditEvent event, Logger.Level level) {
    // Checked first: issued tokens are logged at DEBUG, and the formatting call would otherwise
    // box its arguments on every token fetch even with DEBUG off.
    if (!LOG.isEnabled(level)) {
      return;
    }
    LOG.logf(
        level,
        "audit action=%s outcome=%s actor=%s provider=%s connection=%s request_id=%s detail=%s",
        event.action,
        event.outcome,
        event.actor,
        event.provider,
        event.connectionId,
        event.requestId,
        event.detail);
  }

  /**
   * Records off the request path: the log line now, the row with the next batch. Token issuance
   * uses this so that the hot path makes no database round trip of its own; a full queue drops rows
   * (the log line is kept) rather than slow callers down.
   *
   * <p>Issued tokens are logged at DEBUG only: at thousands of tokens per second a line each would
   * cost the hot path more than the rest of it, and the row is the record. Denials stay at INFO.
   */
  public void recordLater(
      String actor,
      AuditAction action,
      String outcome,
      String provider,
      UUID connectionId,
      String detail) {
    AuditEvent event = event(actor, action, outcome, provider, connectionId, detail);
    log(event, isIssuance(action) ? Logger.Level.DEBUG : Logger.Level.INFO);
    if (!pending.offer(event)) {
      LOG.warnf("audit queue full; row dropped for action=%s", event.action);
    }
  }

  /**
   * Writes every queued row, up to {@value #BATCH} per transaction as one JDBC batch; runs every
   * second and at shutdown. One INSERT per row would make the audit trail the database's busiest
   * client at high token rates. A batch the database did not take goes back to the head of the
   * queue, so that an outage delays rows rather than losing them; they are written, in order, once
   * the database answers again. Synchronized so that a flush that returns has seen every row queued
   * before it, even when the scheduled flush was running.
   */
  @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public synchronized void flush() {
    List<AuditEvent> batch = new ArrayList<>(BATCH);
    while (pending.drainTo(batch, BATCH) > 0) {
      try {
        QuarkusTransaction.requiringNew().run(() -> insert(batch));
      } catch (RuntimeException e) {
        int dropped = requeue(batch);
        LOG.warnf(
            "audit rows not written (%s); %d kept to retry, %d dropped",
            e.getClass().getSimpleName(), batch.size() - dropped, dropped);
        return;
      }
      batch.clear();
    }
  }

  /** Puts a failed batch back in front, in its order; returns how many did not fit. */
  private int requeue(List<AuditEvent> batch) {
    int dropped = 0;
    for (int i = batch.size() - 1; i >= 0; i--) {
      AuditEvent event = batch.get(i);
      if (!pending.offerFirst(event)) {
        dropped++;
      }
    }
    return dropped;
  }

  private void insert(List<AuditEvent> batch) {
    em.unwrap(Session.class)
        .doWork(
            connection -> {
              try (PreparedStatement s = connection.prepareStatement(INSERT)) {
                for (AuditEvent e : batch) {
                  bind(s, e);
                  s.addBatch();
                }
                s.executeBatch();
              }
            });
  }

  private static void bind(PreparedStatement s, AuditEvent e) throws SQLException {
    s.setObject(1, e.occurredAt.atOffset(ZoneOffset.UTC));
    s.setString(2, e.actor);
    s.setString(3, e.action);
    s.setString(4, e.outcome);
    s.setString(5, e.provider);
    if (e.connectionId == null) {
      s.setNull(6, Types.OTHER);
    } else {
      s.setObject(6, e.connectionId);
    }
    s.setString(7, e.requestId);
    s.setString(8, e.detail);
  }

  void onStop(@Observes ShutdownEvent event) {
    flush();
  }

  private static boolean isIssuance(AuditAction action) {
    // Proxied calls come at the rate of token fetches or faster: the row is their record too.
    return action == AuditAction.TOKEN_ISSUED
        || action == AuditAction.CLIENT_TOKEN_ISSUED
        || action == AuditAction.PROXY_CALLED;
  }

  private static String truncate(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max);
  }
}
