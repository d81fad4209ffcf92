package io.tokenbroker.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
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
    QuarkusTransaction.requiringNew().run(event::persist);
    LOG.infof(
        "audit action=%s outcome=%s actor=%s provider=%s connection=%s request_id=%s detail=%s",
        event.action, outcome, event.actor, provider, connectionId, event.requestId, event.detail);
  }

  private static String truncate(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max);
  }
}
