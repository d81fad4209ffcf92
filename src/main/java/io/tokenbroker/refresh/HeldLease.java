package io.tokenbroker.refresh;

import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A refresh lease held by {@code owner}, with what the refresh needs of the row as it stood when
 * the lease was taken. {@code expiresAt} is read back from the database, so together with the owner
 * it names this one acquisition: a release or a write clears the lease only while both still match,
 * never a lease someone took after this one ran out.
 */
record HeldLease(
    UUID id,
    String provider,
    ConnectionStatus status,
    String refreshTokenEnc,
    Instant refreshTokenExpiresAt,
    LeaseOwner owner,
    Instant expiresAt) {

  /** The lease {@code owner} took on {@code row}, read back under that lease. */
  static HeldLease of(ConnectionSnapshot row, LeaseOwner owner) {
    return new HeldLease(
        row.id(),
        row.provider(),
        row.status(),
        row.refreshTokenEnc(),
        row.refreshTokenExpiresAt(),
        owner,
        row.leaseExpiresAt());
  }

  /** True while {@code c}, read under its row lock, still carries this very lease. */
  boolean isHeldIn(Connection c) {
    return owner.id().equals(c.leaseOwner) && expiresAt.equals(c.leaseExpiresAt);
  }

  /** Ends this lease as part of a write to the row, when the row still carries it. */
  void clearFrom(Connection c) {
    if (isHeldIn(c)) {
      c.leaseOwner = null;
      c.leaseExpiresAt = null;
    }
  }
}
