package io.tokenbroker.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.scheduler.Scheduled;
import io.tokenbroker.metrics.BrokerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicLong;
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

  /** At most one WARN about dropped rows per this interval, however many are dropped. */
  static final Duration DROP_WARNING_INTERVAL = Duration.ofMinutes(1);

  private final BlockingDeque<AuditEvent> pending;
  private final EntityManager em;
  private final TransactionSynchronizationRegistry transactions;
  private final BrokerMetrics metrics;
  private final AtomicLong droppedSinceWarning = new AtomicLong();
  private final AtomicLong nextDropWarningNanos = new AtomicLong(System.nanoTime());
  private final IssuedTokenTally tally;

  AuditTrail(
      EntityManager em,
      TransactionSynchronizationRegistry transactions,
      BrokerMetrics metrics,
      AuditConfig config) {
    this.em = em;
    this.transactions = transactions;
    this.metrics = metrics;
    if (config.queueCapacity() < 1) {
      throw new ConfigurationException("broker.audit.queue-capacity must be at least 1");
    }
    this.pending = new LinkedBlockingDeque<>(config.queueCapacity());
    metrics.auditQueueDepth(pending::size);
    this.tally =
        config.issuedTokens() == AuditConfig.IssuedTokens.AGGREGATED
            ? new IssuedTokenTally()
            : null;
  }

  /**
   * Records in its own transaction, so a denial is kept even when the caller's transaction rolls
   * back.
   */
  public void record(AuditEntry entry) {
    AuditEvent event = event(entry);
    QuarkusTransaction.requiringNew().run(event::persist);
    log(event);
  }

  /**
   * Records as part of the caller's transaction, so that the row commits or rolls back with the
   * change it describes (one commit instead of two); the log line follows the commit.
   */
  public void recordInTransaction(AuditEntry entry) {
    AuditEvent event = event(entry);
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

  private static AuditEvent event(AuditEntry entry) {
    AuditEvent event = new AuditEvent();
    event.occurredAt = Instant.now();
    event.actor = entry.actor() == null ? "anonymous" : truncate(entry.actor(), 255);
    event.action = entry.action().wire();
    event.outcome = entry.outcome();
    event.provider = entry.provider();
    event.connectionId = entry.connectionId();
    Object requestId = MDC.get("request_id");
    event.requestId = requestId == null ? null : requestId.toString();
    event.detail = entry.detail() == null ? null : truncate(entry.detail(), MAX_DETAIL);
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
        "audit action=%s outcome=%s actor=%s provider=%s connection=%s request_id=%s detail=%s%s",
        event.action,
        event.outcome,
        event.actor,
        event.provider,
        event.connectionId,
        event.requestId,
        event.detail,
        event.lastRequestId == null
            ? ""
            : " count=" + event.issuedCount + " last_request_id=" + event.lastRequestId);
  }

  /**
   * Records off the request path: the log line now, the row with the next batch. Token issuance
   * uses this so that the hot path makes no database round trip of its own; a full queue drops rows
   * (the log line is kept, at its level) rather than slow callers down, and counts them in {@code
   * broker_audit_dropped_total}.
   *
   * <p>Issued tokens are logged at DEBUG only: at thousands of tokens per second a line each would
   * cost the hot path more than the rest of it, and the row is the record. Denials stay at INFO.
   */
  public void recordLater(AuditEntry entry) {
    queue(event(entry), isIssuance(entry.action()) ? Logger.Level.DEBUG : Logger.Level.INFO);
  }

  private void queue(AuditEvent event, Logger.Level level) {
    log(event, level);
    if (!pending.offer(event)) {
      dropped(1);
    }
  }

  /**
   * Counts rows that were not kept ({@code broker_audit_dropped_total}) and warns at most once per
   * {@link #DROP_WARNING_INTERVAL}: when the queue is full, a line per dropped row would flood the
   * log at the token rate that filled it.
   */
  private void dropped(int rows) {
    metrics.auditRowsDropped(rows);
    droppedSinceWarning.addAndGet(rows);
    long now = System.nanoTime();
    long due = nextDropWarningNanos.get();
    if (now - due >= 0
        && nextDropWarningNanos.compareAndSet(due, now + DROP_WARNING_INTERVAL.toNanos())) {
      LOG.warnf(
          "audit queue full: %d audit rows dropped since the last warning (their log lines were"
              + " written; broker_audit_dropped_total counts them all)",
          droppedSinceWarning.getAndSet(0));
    }
  }

  /**
   * Records a token handed to {@code actor} ({@link AuditAction#TOKEN_ISSUED} or {@link
   * AuditAction#CLIENT_TOKEN_ISSUED}), off the request path as {@link #recordLater} does: a row of
   * its own under {@code broker.audit.issued-tokens=each}, else one more in the count of this
   * caller, connection and minute, which becomes a row once the minute has ended.
   */
  public void issued(
      AuditAction action, String actor, String provider, UUID connectionId, String detail) {
    if (tally != null) {
      String name = actor == null ? "anonymous" : truncate(actor, 255);
      Object requestId = MDC.get("request_id");
      if (tally.add(
          name,
          action,
          provider,
          connectionId,
          detail == null ? null : truncate(detail, MAX_DETAIL),
          requestId == null ? null : requestId.toString(),
          System.currentTimeMillis())) {
        return;
      }
    }
    AuditEvent event = event(new AuditEntry(action, actor, "ok", provider, connectionId, detail));
    event.issuedCount = 1;
    queue(event, Logger.Level.DEBUG);
  }

  /** Counts of issued tokens whose minute has ended become rows; runs every second. */
  @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void flushEndedMinutes() {
    write(false);
  }

  /**
   * Writes every row recorded so far, including the counts of the minute in progress (a later token
   * of the same caller and connection in that minute then starts a row of its own); at shutdown,
   * and for tests that read the table.
   */
  public void flush() {
    write(true);
  }

  /**
   * Writes every queued row, up to {@value #BATCH} per transaction as one JDBC batch; runs every
   * second and at shutdown. One INSERT per row would make the audit trail the database's busiest
   * client at high token rates. A batch the database did not take goes back to the head of the
   * queue, so that an outage delays rows rather than losing them; they are written, in order, once
   * the database answers again. Synchronized so that a flush that returns has seen every row queued
   * before it, even when the scheduled flush was running.
   */
  private synchronized void write(boolean allCounts) {
    if (tally != null) {
      tally.close(System.currentTimeMillis(), allCounts, row -> queue(row, Logger.Level.DEBUG));
    }
    List<AuditEvent> batch = new ArrayList<>(BATCH);
    while (pending.drainTo(batch, BATCH) > 0) {
      try {
        QuarkusTransaction.requiringNew().run(() -> AuditRows.insert(em, batch));
      } catch (RuntimeException e) {
        int dropped = requeue(batch);
        LOG.warnf(
            "audit rows not written (%s); %d kept to retry, %d dropped",
            e.getClass().getSimpleName(), batch.size() - dropped, dropped);
        if (dropped > 0) {
          metrics.auditRowsDropped(dropped);
        }
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
