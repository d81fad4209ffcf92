package io.tokenbroker.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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

  @Inject TransactionSynchronizationRegistry transactions;

  private final BlockingQueue<AuditEvent> pending = new ArrayBlockingQueue<>(100_000);

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
    LOG.infof(
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
   */
  public void recordLater(
      String actor,
      AuditAction action,
      String outcome,
      String provider,
      UUID connectionId,
      String detail) {
    AuditEvent event = event(actor, action, outcome, provider, connectionId, detail);
    log(event);
    if (!pending.offer(event)) {
      LOG.warnf("audit queue full; row dropped for action=%s", event.action);
    }
  }

  /** Writes queued rows in one transaction; runs every second and at shutdown. */
  @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public void flush() {
    List<AuditEvent> batch = new ArrayList<>();
    pending.drainTo(batch, 1000);
    if (!batch.isEmpty()) {
      QuarkusTransaction.requiringNew().run(() -> batch.forEach(e -> e.persist()));
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    flush();
  }

  private static String truncate(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max);
  }
}
