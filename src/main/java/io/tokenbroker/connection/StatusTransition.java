package io.tokenbroker.connection;

import java.time.Instant;
import java.util.UUID;

/**
 * A connection's status changed, or the account was linked (again): what the owning team is told.
 * Fired synchronously inside the transaction that writes the change, so that an observer's own
 * writes (the webhook outbox) commit or roll back with it.
 *
 * @param previous the status before, or null when the connection was just created
 * @param linked whether a link (authorization, re-link or import) caused it, whatever the statuses
 * @param reason a short, token-free reason for people ("refresh: TRANSIENT(timeout)")
 */
public record StatusTransition(
    UUID connectionId,
    String provider,
    String accountId,
    String accountUsername,
    String label,
    ConnectionStatus previous,
    ConnectionStatus current,
    boolean linked,
    String reason,
    Instant at) {

  static StatusTransition of(
      Connection c, ConnectionStatus previous, boolean linked, String reason) {
    return new StatusTransition(
        c.id,
        c.provider,
        c.accountId,
        c.accountUsername,
        c.label,
        previous,
        c.status,
        linked,
        reason,
        Instant.now());
  }
}
