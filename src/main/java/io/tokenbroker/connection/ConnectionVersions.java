package io.tokenbroker.connection;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Which connections changed since a moment, with their row versions: what a cache of connections
 * needs to drop stale copies without reading whole rows. The {@code updated_at} index (V11) keeps
 * it cheap enough to ask every second.
 */
@ApplicationScoped
public class ConnectionVersions {

  private final EntityManager em;

  ConnectionVersions(EntityManager em) {
    this.em = em;
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
