package io.tokenbroker.token;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers that the database just failed to answer the token path. Until it answers again, a
 * request that can be served from what the broker holds does not ask it, except one request at a
 * time, once a short pause has passed, to find out whether it is back. While the database is down
 * every attempt costs its caller the pool's wait (about a second for a refused connection, up to
 * the acquisition timeout for one that hangs), and a recovering server is better left to that one
 * probe than to every caller at once.
 */
@ApplicationScoped
class DatabaseOutageWindow {

  /** How long after a failure nobody asks the database on behalf of a servable request. */
  static final Duration PAUSE = Duration.ofSeconds(1);

  /** Longest a probe keeps the others away, should it never report back. */
  private static final Duration PROBE_CLAIM = Duration.ofMinutes(1);

  private final AtomicLong quietUntilNanos = new AtomicLong();
  private volatile boolean down;

  /**
   * True when the caller should serve what it holds without asking the database. False when the
   * database is up, or when this caller is the one to probe it: it must then report back through
   * {@link #failed} or {@link #answered}.
   */
  boolean skipDatabase() {
    if (!down) {
      return false;
    }
    long now = System.nanoTime();
    long quietUntil = quietUntilNanos.get();
    if (now - quietUntil < 0) {
      return true;
    }
    return !quietUntilNanos.compareAndSet(quietUntil, now + PROBE_CLAIM.toNanos());
  }

  /** The database could not be reached. */
  void failed() {
    quietUntilNanos.set(System.nanoTime() + PAUSE.toNanos());
    down = true;
  }

  /** The database answered (with rows or with an error of its own). */
  void answered() {
    down = false;
  }
}
