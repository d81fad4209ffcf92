package io.tokenbroker.refresh;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The per-connection refresh lease in PostgreSQL: one conditional UPDATE takes it only when it is
 * free or expired, and bumps the row version so that the version doubles as a fencing token. Every
 * method runs in its own short transaction: a lease must never be held by an open transaction
 * across an upstream call.
 */
@ApplicationScoped
public class LeaseStore {

  private final EntityManager em;

  LeaseStore(EntityManager em) {
    this.em = em;
  }

  /** Takes the lease; true when this owner now holds it. */
  public boolean tryAcquire(UUID id, LeaseOwner owner, Duration ttl) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Instant now = Instant.now();
              return em.createQuery(
                          "update Connection c set c.leaseOwner = :owner, c.leaseExpiresAt = :until,"
                              + " c.version = c.version + 1"
                              + " where c.id = :id and (c.leaseOwner is null or c.leaseExpiresAt < :now"
                              + " or c.leaseOwner = :owner)")
                      .setParameter("owner", owner.id())
                      .setParameter("until", now.plus(ttl))
                      .setParameter("id", id)
                      .setParameter("now", now)
                      .executeUpdate()
                  == 1;
            });
  }

  /** Gives the lease back without changing anything else (nothing to do, or gave up). */
  public void release(UUID id, LeaseOwner owner) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createQuery(
                        "update Connection c set c.leaseOwner = null, c.leaseExpiresAt = null,"
                            + " c.version = c.version + 1 where c.id = :id and c.leaseOwner = :owner")
                    .setParameter("id", id)
                    .setParameter("owner", owner.id())
                    .executeUpdate());
  }

  /** The row as committed now. */
  public Optional<ConnectionSnapshot> read(UUID id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Connection c = em.find(Connection.class, id);
              if (c == null) {
                return Optional.<ConnectionSnapshot>empty();
              }
              ConnectionSnapshot snapshot = ConnectionSnapshot.of(c);
              em.detach(c);
              return Optional.of(snapshot);
            });
  }
}
