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

/**
 * The due connections of one provider during one scheduled run, handed to its workers one at a time
 * and claimed from the database a batch at a time, whenever the last batch has been handed out.
 *
 * <p>A batch is as large as the provider's worker count: a claimed connection waits for a free
 * worker while its lease runs, so a larger batch would only hold leases longer (and keep them from
 * requests and other replicas) without refreshing anything sooner. The run ends when a claim finds
 * nothing due, when it has handed out {@code limit} connections, or when the application stops.
 * Each connection is handed out at most once per run: one that comes back without having been
 * written (its refresh failed unexpectedly) is given back and left to the next run, so that one
 * failing row cannot keep a run going.
 */
final class ClaimedBatches {

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
  synchronized Optional<HeldLease> next() {
    if (stopping.getAsBoolean()) {
      giveBack(new ArrayList<>(claimed));
      claimed.clear();
      return Optional.empty();
    }
    if (claimed.isEmpty() && !exhausted) {
      claimBatch();
    }
    return Optional.ofNullable(claimed.poll());
  }

  private void claimBatch() {
    int wanted = Math.min(batch, limit - handedOut.size());
    if (wanted <= 0) {
      exhausted = true;
      return;
    }
    List<HeldLease> repeats = new ArrayList<>();
    for (HeldLease lease : due.claim(provider, rule, since, owner, ttl, wanted)) {
      if (handedOut.add(lease.id())) {
        claimed.add(lease);
      } else {
        repeats.add(lease);
      }
    }
    giveBack(repeats);
    exhausted = claimed.isEmpty();
  }

  private void giveBack(List<HeldLease> unused) {
    unused.forEach(leases::release);
  }
}
