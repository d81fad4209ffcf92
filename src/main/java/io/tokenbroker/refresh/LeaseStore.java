package io.tokenbroker.refresh;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.connection.ConnectionRows;
import io.tokenbroker.connection.ConnectionSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The per-connection refresh lease in PostgreSQL: one conditional UPDATE takes it only when it is
 * free or expired by the database's clock ({@link LeaseClock}), and bumps the row version so that
 * the version doubles as a fencing token. Every method runs in its own short transaction: a lease
 * must never be held by an open transaction across an upstream call. (The scheduler takes many
 * leases at once: {@link DueConnections#claim}.)
 */
@ApplicationScoped
public class LeaseStore {

  private final EntityManager em;
  private final ConnectionRows rows;

  LeaseStore(EntityManager em, ConnectionRows rows) {
    this.em = em;
    this.rows = rows;
  }

  /**
   * Takes the lease and reads the row under it, in one transaction; empty when the row is missing
   * or another owner holds the lease. A lease under this owner's own name is taken again: every
   * attempt of one owner on one connection runs alone ({@link io.tokenbroker.shared.SingleFlight}),
   * so such a lease was left by an earlier attempt that could not give it back (the database was
   * away). That is why the scheduler claims under a name of its own ({@link
   * LeaseOwner#scheduler()}): what it holds must not be taken by a request of the same replica.
   */
  public Optional<ConnectionSnapshot> acquire(UUID id, LeaseOwner owner, Duration ttl) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              int taken =
                  em.createNativeQuery(
                          "update connection set lease_owner = :owner, lease_expires_at = "
                              + LeaseClock.EXPIRY
                              + ", version = version + 1 where id = :id and (lease_owner is null or "
                              + LeaseClock.RUN_OUT
                              + " or lease_owner = :owner)")
                      .setParameter("owner", owner.id())
                      .setParameter("ttlSeconds", LeaseClock.seconds(ttl))
                      .setParameter("id", id)
                      .executeUpdate();
              return taken == 1 ? rows.snapshot(id) : Optional.<ConnectionSnapshot>empty();
            });
  }

  /**
   * Gives a lease back without changing anything else (nothing to do, or gave up). Only this
   * acquisition's lease is freed: once it ran out and someone else took the connection, a late
   * release must not free theirs.
   */
  void release(HeldLease lease) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createQuery(
                        "update Connection c set c.leaseOwner = null, c.leaseExpiresAt = null,"
                            + " c.version = c.version + 1 where c.id = :id and c.leaseOwner = :owner"
                            + " and c.leaseExpiresAt = :until")
                    .setParameter("id", lease.id())
                    .setParameter("owner", lease.owner().id())
                    .setParameter("until", lease.expiresAt())
                    .executeUpdate());
  }

  /** The row as committed now. */
  public Optional<ConnectionSnapshot> read(UUID id) {
    return rows.read(id);
  }
}
