package io.tokenbroker.refresh;

import io.tokenbroker.provider.Provider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * The due connections of one provider during one scheduled run, handed to its workers one at a time
 * and claimed from the database a batch at a time. The next batch is claimed while half of the last
 * one is still waiting, by the worker that takes the item below that mark and outside the lock, so
 * the other workers never wait for a claim.
 *
 * <p>A batch is as large as the provider's worker count: a claimed connection waits for a free
 * worker while its lease runs, so a larger batch would only hold leases longer (and keep them from
 * requests and other replicas) without refreshing anything sooner. The run ends when a claim finds
 * nothing due, when it has handed out {@code limit} connections, when a claim fails, or when the
 * application stops. Each connection is handed out at most once per run: one that comes back
 * without having been written (its refresh failed unexpectedly) is given back and left to the next
 * run, so that one failing row cannot keep a run going.
 */
final class ClaimedBatches {

  private static final Logger LOG = Logger.getLogger(ClaimedBatches.class);

  private final DueConnections due;
  private final LeaseStore leases;
  private final Provider provider;
  private final DueConnections.Rule rule;
  private final Instant since;
  private final LeaseOwner owner;
  private final Duration ttl;
  private final int batch;
  private final int limit;
  private final BooleanSupplier stopping;

  private final Queue<HeldLease> claimed = new ArrayDeque<>();
  private final Set<UUID> handedOut = new HashSet<>();
  private boolean exhausted;
  private boolean claiming;

  ClaimedBatches(
      DueConnections due,
      LeaseStore leases,
      Provider provider,
      DueConnections.Rule rule,
      Instant since,
      LeaseOwner owner,
      Duration ttl,
      int batch,
      int limit,
      BooleanSupplier stopping) {
    this.due = due;
    this.leases = leases;
    this.provider = provider;
    this.rule = rule;
    this.since = since;
    this.owner = owner;
    this.ttl = ttl;
    this.batch = batch;
    this.limit = limit;
    this.stopping = stopping;
  }

  /** The next connection to refresh, its lease held; empty when this run is over. */
  Optional<HeldLease> next() throws InterruptedException {
    HeldLease mine;
    synchronized (this) {
      while (claimed.isEmpty() && claiming) {
        wait();
      }
      if (stopping.getAsBoolean()) {
        giveBack(new ArrayList<>(claimed));
        claimed.clear();
        exhausted = true;
        return Optional.empty();
      }
      mine = claimed.poll();
      if (claiming || exhausted || claimed.size() >= (batch + 1) / 2) {
        return Optional.ofNullable(mine);
      }
      claiming = true;
    }
    List<HeldLease> fresh = List.of();
    try {
      fresh = claimBatch();
    } catch (RuntimeException e) {
      // The database is away: this run ends with what it holds; the next run claims again.
      LOG.errorf(
          "refresher: claiming due connections of %s failed: %s",
          provider.id(), e.getClass().getSimpleName());
    } finally {
      synchronized (this) {
        claimed.addAll(fresh);
        exhausted = fresh.isEmpty() || handedOut.size() >= limit;
        claiming = false;
        notifyAll();
        if (mine == null) {
          mine = claimed.poll();
        }
      }
    }
    return Optional.ofNullable(mine);
  }

  /**
   * What is claimed and not started goes back (the breaker paused the provider); a worker still
   * admitted, the breaker's probe, claims again for itself.
   */
  synchronized void giveBackAll() {
    giveBack(new ArrayList<>(claimed));
    claimed.clear();
  }

  /** Claims the next batch; connections this run handed out before are given back at once. */
  private List<HeldLease> claimBatch() {
    int wanted;
    synchronized (this) {
      wanted = Math.min(batch, limit - handedOut.size());
    }
    if (wanted <= 0) {
      return List.of();
    }
    List<HeldLease> fresh = new ArrayList<>();
    List<HeldLease> repeats = new ArrayList<>();
    for (HeldLease lease : due.claim(provider, rule, since, owner, ttl, wanted)) {
      boolean first;
      synchronized (this) {
        first = handedOut.add(lease.id());
      }
      (first ? fresh : repeats).add(lease);
    }
    giveBack(repeats);
    return fresh;
  }

  private void giveBack(List<HeldLease> unused) {
    unused.forEach(leases::release);
  }
}
