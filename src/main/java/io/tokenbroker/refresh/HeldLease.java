package io.tokenbroker.refresh;

import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A refresh lease held by {@code owner}, with what the refresh needs of the row as it stood when
 * the lease was taken. {@code expiresAt} is read back from the database, so together with the owner
 * it names this one acquisition: a release or a write clears the lease only while both still match,
 * never a lease someone took after this one ran out.
 *
 * <p>How much of the lease is left is measured on this process's monotonic clock from before the
 * statement that took it ({@code deadlineNanos}), never by comparing {@code expiresAt}, which is in
 * the database's time, with this replica's wall clock: the two may disagree by more than a lease.
 * Starting the count before the statement makes the estimate err on the short side.
 */
record HeldLease(
    UUID id,
    String provider,
    ConnectionStatus status,
    String refreshTokenEnc,
    Instant refreshTokenExpiresAt,
    LeaseOwner owner,
    Instant expiresAt,
    long deadlineNanos) {

  /** The lease {@code owner} took on {@code row}, read back under that lease. */
  static HeldLease of(ConnectionSnapshot row, LeaseOwner owner, LeaseClock.Taken taken) {
    return new HeldLease(
        row.id(),
        row.provider(),
        row.status(),
        row.refreshTokenEnc(),
        row.refreshTokenExpiresAt(),
        owner,
        row.leaseExpiresAt(),
        taken.deadlineNanos());
  }

  /** What is left of the lease now, by this process's monotonic clock; negative once run out. */
  Duration remaining() {
    return Duration.ofNanos(deadlineNanos - System.nanoTime());
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
