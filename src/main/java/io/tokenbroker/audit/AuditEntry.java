package io.tokenbroker.audit;

import java.util.Objects;
import java.util.UUID;

/**
 * One row for the audit trail, built by name rather than by position, for example {@code
 * AuditEntry.of(AuditAction.CONNECTION_DELETED, actor).provider(p).connection(id)}. The outcome is
 * {@code ok} unless set; provider, connection and detail are absent unless set. Only identifiers
 * and short words: never a token or a secret.
 *
 * @param action what happened
 * @param actor who did it (a caller name, an administrator, {@code refresher}); null: anonymous
 * @param outcome a short word: {@code ok}, {@code denied}, an error code
 * @param provider the provider id, when one is involved
 * @param connectionId the connection, when one is involved
 * @param detail a short free text, truncated when written
 */
public record AuditEntry(
    AuditAction action,
    String actor,
    String outcome,
    String provider,
    UUID connectionId,
    String detail) {

  public AuditEntry {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** {@code action} by {@code actor}, ending {@code ok}. */
  public static AuditEntry of(AuditAction action, String actor) {
    return new AuditEntry(action, actor, "ok", null, null, null);
  }

  public AuditEntry outcome(String outcome) {
    return new AuditEntry(action, actor, outcome, provider, connectionId, detail);
  }

  public AuditEntry provider(String provider) {
    return new AuditEntry(action, actor, outcome, provider, connectionId, detail);
  }

  public AuditEntry connection(UUID connectionId) {
    return new AuditEntry(action, actor, outcome, provider, connectionId, detail);
  }

  public AuditEntry detail(String detail) {
    return new AuditEntry(action, actor, outcome, provider, connectionId, detail);
  }
}
