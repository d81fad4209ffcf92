package io.tokenbroker.connection;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads of connection rows for the token cache: one row as committed, and which rows changed since
 * a moment with their versions (what the cache needs to drop stale copies without reading whole
 * rows; the {@code updated_at} index, V11, keeps that cheap enough to ask every second). Each read
 * runs in a short transaction of its own.
 */
@ApplicationScoped
public class ConnectionRows {

  private final EntityManager em;

  ConnectionRows(EntityManager em) {
    this.em = em;
  }

  /** The row as committed now, in a transaction of its own; empty when there is none. */
  public Optional<ConnectionSnapshot> read(UUID id) {
    return QuarkusTransaction.requiringNew().call(() -> snapshot(id));
  }

  /** The row as the caller's transaction sees it, detached; empty when there is none. */
  public Optional<ConnectionSnapshot> snapshot(UUID id) {
    Connection c = em.find(Connection.class, id);
    if (c == null) {
      return Optional.empty();
    }
    ConnectionSnapshot snapshot = ConnectionSnapshot.of(c);
    em.detach(c);
    return Optional.of(snapshot);
  }

  /** Id to version of every connection whose {@code updated_at} is after {@code since}. */
  public Map<UUID, Long> changedSince(Instant since) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Map<UUID, Long> versions = new HashMap<>();
              for (Object[] row :
                  em.createQuery(
                          "select c.id, c.version from Connection c where c.updatedAt > :since",
                          Object[].class)
                      .setParameter("since", since)
                      .getResultList()) {
                versions.put((UUID) row[0], (Long) row[1]);
              }
              return versions;
            });
  }
}
