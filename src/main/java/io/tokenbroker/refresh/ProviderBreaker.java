package io.tokenbroker.refresh;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The breaker of one provider (see {@link ProviderBreakers}). Calls that started while nothing had
 * failed are never held back; once a streak of provider-wide failures has begun, an attempt starts
 * only while the failures so far plus the attempts in flight stay below the threshold. So with
 * {@code concurrency-per-provider} at most the threshold, no more than the threshold calls reach a
 * failing provider before the pause.
 */
final class ProviderBreaker {

  enum Verdict {
    /** The verdict stands: mark the grant dead. */
    STANDS,
    /** The breaker was open already: withhold it. */
    WITHHELD,
    /** This verdict completed a burst and opened the breaker: withhold it. */
    TRIPPED
  }

  /** One token-endpoint answer in the burst window. */
  private record Answer(Instant at, UUID invalidGrantOf) {}

  private final String provider;
  private final RefreshConfig.Breaker config;
  private final Deque<Answer> window = new ArrayDeque<>();
  private int consecutiveFailures;
  private int inFlight;
  private boolean open;
  private boolean probing;
  private Instant nextProbeAt = Instant.MIN;

  ProviderBreaker(String provider, RefreshConfig.Breaker config) {
    this.provider = provider;
    this.config = config;
  }

  synchronized boolean isOpen() {
    return open;
  }

  synchronized boolean admit(Instant now) throws InterruptedException {
    while (true) {
      if (open) {
        if (probing || now.isBefore(nextProbeAt)) {
          return false;
        }
        probing = true;
        nextProbeAt = now.plus(config.probeInterval());
        inFlight++;
        return true;
      }
      if (consecutiveFailures == 0 || consecutiveFailures + inFlight < config.failureThreshold()) {
        inFlight++;
        return true;
      }
      // Bounded: every attempt in flight ends within its lease and calls finished().
      wait(1000);
      now = Instant.now();
    }
  }

  synchronized void finished() {
    inFlight = Math.max(0, inFlight - 1);
    probing = false;
    notifyAll();
  }

  /** True when this success closed an open breaker. */
  synchronized boolean succeeded(Instant now) {
    consecutiveFailures = 0;
    remember(new Answer(now, null), now);
    boolean wasOpen = open;
    open = false;
    notifyAll();
    return wasOpen;
  }

  /** True when this failure opened the breaker. */
  synchronized boolean failedForAll(Instant now) {
    consecutiveFailures++;
    if (!open && consecutiveFailures >= config.failureThreshold()) {
      return trip(now);
    }
    if (open) {
      nextProbeAt = now.plus(config.probeInterval());
    }
    return false;
  }

  synchronized Verdict invalidGrant(UUID connection, Instant now) {
    // An answer about one grant: the endpoint itself works.
    consecutiveFailures = 0;
    remember(new Answer(now, connection), now);
    if (open) {
      nextProbeAt = now.plus(config.probeInterval());
      return Verdict.WITHHELD;
    }
    Set<UUID> dead = new HashSet<>();
    for (Answer answer : window) {
      if (answer.invalidGrantOf() != null) {
        dead.add(answer.invalidGrantOf());
      }
    }
    long invalid = window.stream().filter(a -> a.invalidGrantOf() != null).count();
    if (dead.size() >= config.invalidGrantMinConnections()
        && invalid >= config.invalidGrantMinShare() * window.size()) {
      trip(now);
      return Verdict.TRIPPED;
    }
    return Verdict.STANDS;
  }

  /** Lets the next admission probe at once (tests move time here instead of sleeping). */
  synchronized void probeDueNow() {
    nextProbeAt = Instant.MIN;
  }

  synchronized void reset() {
    window.clear();
    consecutiveFailures = 0;
    open = false;
    probing = false;
    nextProbeAt = Instant.MIN;
    notifyAll();
  }

  private boolean trip(Instant now) {
    open = true;
    nextProbeAt = now.plus(config.probeInterval());
    notifyAll();
    return true;
  }

  private void remember(Answer answer, Instant now) {
    window.addLast(answer);
    Instant cut = now.minus(config.invalidGrantWindow());
    while (!window.isEmpty() && window.peekFirst().at().isBefore(cut)) {
      window.pollFirst();
    }
  }

  @Override
  public String toString() {
    return "ProviderBreaker[" + provider + (open ? " open" : " closed") + "]";
  }
}
