package io.tokenbroker.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The one place readiness is decided from: the latest answer of every background check, and whether
 * this replica still takes traffic at all. Readiness requests only read it, so they answer in
 * microseconds even while a dependency hangs.
 *
 * <p>Graceful shutdown calls {@link #stopServing(String)} so that readiness goes DOWN (check {@code
 * serving}) while requests in flight finish.
 */
@ApplicationScoped
public class ReadinessState {

  private record Progress(HealthCheckResponse latest, Instant runningSince) {}

  private final Map<String, Progress> progress = new ConcurrentHashMap<>();
  private volatile String stoppedBecause;

  /** Takes this replica out of the Service: readiness reports DOWN from now on. */
  public void stopServing(String reason) {
    stoppedBecause = reason;
  }

  /** Why this replica stopped taking traffic; empty while it serves. */
  public Optional<String> stoppedBecause() {
    return Optional.ofNullable(stoppedBecause);
  }

  void checkStarted(String name, Instant at) {
    progress.compute(name, (n, p) -> new Progress(p == null ? null : p.latest(), at));
  }

  void checkAnswered(String name, HealthCheckResponse answer) {
    progress.put(name, new Progress(answer, null));
  }

  /** What readiness reports for this probe now; never blocks. */
  HealthCheckResponse current(ReadinessProbe probe, Duration answerTimeout, Instant now) {
    Progress p = progress.get(probe.name());
    if (p == null) {
      return probe.unanswered("not checked yet");
    }
    if (p.runningSince() != null) {
      Duration waiting = Duration.between(p.runningSince(), now);
      if (waiting.compareTo(answerTimeout) > 0 || p.latest() == null) {
        return probe.unanswered(
            p.latest() == null && waiting.compareTo(answerTimeout) <= 0
                ? "first check still running"
                : "no answer for " + waiting.toSeconds() + " s");
      }
    }
    return p.latest();
  }
}
