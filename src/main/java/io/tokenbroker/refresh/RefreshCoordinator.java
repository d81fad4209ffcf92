package io.tokenbroker.refresh;

import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.shared.SingleFlight;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The entry point of every refresh (on demand, forced, scheduled). Within one process, concurrent
 * refreshes of a connection share one attempt and its result (single flight); across replicas the
 * database lease in {@link TokenRotation} decides, and a request that finds the lease taken waits
 * for the other replica's result instead of calling the provider itself.
 */
@ApplicationScoped
public class RefreshCoordinator {

  private final TokenRotation rotation;
  private final LeaseStore leases;
  private final RefreshConfig config;
  private final LeaseOwner owner;
  private final BrokerMetrics metrics;
  private final SingleFlight<UUID, RefreshResult> flights = new SingleFlight<>();

  RefreshCoordinator(
      TokenRotation rotation, LeaseStore leases, RefreshConfig config, BrokerMetrics metrics) {
    this.rotation = rotation;
    this.leases = leases;
    this.config = config;
    this.metrics = metrics;
    this.owner = config.ownerId().map(LeaseOwner::new).orElseGet(LeaseOwner::ofThisProcess);
  }

  public LeaseOwner owner() {
    return owner;
  }

  /**
   * Makes sure the connection holds an access token that lives {@code wantedTtl}, refreshing at
   * most once across all concurrent callers in this process.
   */
  public RefreshResult ensureFresh(UUID id, Duration wantedTtl, RefreshTrigger trigger) {
    Predicate<ConnectionSnapshot> stale = c -> !c.accessTokenLives(wantedTtl, Instant.now());
    return singleFlight(id, () -> counted(trigger, refreshWaitingForOthers(id, stale, trigger)));
  }

  /**
   * Refreshes because the provider refused the stored access token {@code rejectedSealed} (401)
   * before it expired: a revoked or otherwise dead token. Concurrent rejections share one attempt,
   * and a request that finds the stored token already replaced spends nothing.
   */
  public RefreshResult replaceRejected(UUID id, String rejectedSealed) {
    Predicate<ConnectionSnapshot> stillHeld =
        c -> java.util.Objects.equals(c.accessTokenEnc(), rejectedSealed);
    return singleFlight(
        id,
        () ->
            counted(
                RefreshTrigger.ON_DEMAND,
                refreshWaitingForOthers(id, stillHeld, RefreshTrigger.ON_DEMAND)));
  }

  /** Refreshes now even when the stored token is still fresh (administrator's request). */
  public RefreshResult force(UUID id) {
    return singleFlight(
        id,
        () ->
            counted(
                RefreshTrigger.FORCED,
                refreshWaitingForOthers(id, c -> true, RefreshTrigger.FORCED)));
  }

  /**
   * One scheduled attempt on one connection outside a run: takes its own lease, never waits for
   * another replica.
   */
  public RefreshResult scheduled(UUID id, Predicate<ConnectionSnapshot> due) {
    return singleFlight(
        id,
        () ->
            counted(
                RefreshTrigger.SCHEDULED,
                rotation.refresh(id, RefreshTrigger.SCHEDULED, due, owner)));
  }

  /**
   * Refreshes a connection whose lease the scheduler claimed. Not a shared flight: the claim is the
   * only holder of the lease, so a request of this process that wants the same connection finds it
   * busy and waits for the row as it would for another replica, rather than the scheduler waiting
   * for a request that in turn waits for the scheduler's lease.
   */
  RefreshResult scheduled(HeldLease claimed) {
    RefreshResult result = rotation.refreshClaimed(claimed);
    // Counted by the claim's provider: a scheduled result does not carry the row.
    result
        .metricOutcome()
        .ifPresent(
            outcome ->
                metrics.refresh(claimed.provider(), RefreshTrigger.SCHEDULED.wire(), outcome));
    return result;
  }

  /** Counts a refresh attempt by its result; a connection that no longer exists is not counted. */
  private RefreshResult counted(RefreshTrigger trigger, RefreshResult result) {
    result
        .metricOutcome()
        .ifPresent(
            outcome ->
                metrics.refresh(
                    result.connection().map(ConnectionSnapshot::provider).orElse(null),
                    trigger.wire(),
                    outcome));
    return result;
  }

  private RefreshResult singleFlight(UUID id, java.util.function.Supplier<RefreshResult> work) {
    return flights.run(id, work);
  }

  private RefreshResult refreshWaitingForOthers(
      UUID id, Predicate<ConnectionSnapshot> stillNeeded, RefreshTrigger trigger) {
    Instant deadline = Instant.now().plus(config.leaseWait());
    long pauseMillis = 50;
    long waitingSince = 0;
    while (true) {
      RefreshResult result = rotation.refresh(id, trigger, stillNeeded, owner);
      if (result.outcome() != RefreshResult.Outcome.BUSY || Instant.now().isAfter(deadline)) {
        return waited(result, waitingSince);
      }
      waitingSince = waitingSince == 0 ? System.nanoTime() : waitingSince;
      // Another replica is refreshing: its result lands in the row; poll until it does.
      pause(pauseMillis);
      pauseMillis = Math.min(pauseMillis * 2, 500);
      Optional<ConnectionSnapshot> now = leases.read(id);
      if (now.isPresent() && trigger != RefreshTrigger.FORCED && !stillNeeded.test(now.get())) {
        return waited(
            RefreshResult.of(RefreshResult.Outcome.ALREADY_FRESH, now.get()), waitingSince);
      }
    }
  }

  /** Records how long this request waited on another replica's lease, if it waited at all. */
  private RefreshResult waited(RefreshResult result, long waitingSince) {
    if (waitingSince != 0) {
      Duration waited = Duration.ofNanos(System.nanoTime() - waitingSince);
      result.connection().ifPresent(c -> metrics.leaseWait(c.provider(), waited));
    }
    return result;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
