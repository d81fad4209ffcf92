package io.tokenbroker.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
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

  private final BlockingDeque<AuditEvent> pending = new LinkedBlockingDeque<>(100_000);

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

  /**
   * Writes queued rows in one transaction; runs every second and at shutdown. A batch the database
   * did not take goes back to the head of the queue, so that an outage delays rows rather than
   * losing them; they are written, in order, once the database answers again.
   */
  @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public void flush() {
    List<AuditEvent> batch = new ArrayList<>();
    pending.drainTo(batch, 1000);
    if (batch.isEmpty()) {
      return;
    }
    try {
      QuarkusTransaction.requiringNew().run(() -> batch.forEach(e -> e.persist()));
    } catch (RuntimeException e) {
      int dropped = requeue(batch);
      LOG.warnf(
          "audit rows not written (%s); %d kept to retry, %d dropped",
          e.getClass().getSimpleName(), batch.size() - dropped, dropped);
    }
  }

  /** Puts a failed batch back in front, in its order; returns how many did not fit. */
  private int requeue(List<AuditEvent> batch) {
    int dropped = 0;
    for (int i = batch.size() - 1; i >= 0; i--) {
      AuditEvent event = batch.get(i);
      // The failed insert may have handed out an identity value; the retry must get a new one.
      event.id = null;
      if (!pending.offerFirst(event)) {
        dropped++;
      }
    }
    return dropped;
  }

  void onStop(@Observes ShutdownEvent event) {
    flush();
  }

  private static String truncate(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max);
  }
}
