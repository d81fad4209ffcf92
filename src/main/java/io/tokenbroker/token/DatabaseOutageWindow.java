package io.tokenbroker.token;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Remembers that the database just failed to answer the token path. For a short while afterwards,
 * requests that can be served from what the broker holds do not ask it again: while it is down,
 * every attempt costs the caller the pool's connection attempt (about a second for a refused
 * connection, up to the acquisition timeout for one that hangs), and a recovering server is better
 * left to the one request per pause that probes it.
 */
@ApplicationScoped
class DatabaseOutageWindow {

  /** How long after a failure the token path serves held snapshots without asking. */
  static final Duration PAUSE = Duration.ofSeconds(1);

  private volatile long quietUntilNanos;
  private volatile boolean open;

  /** True while a recent failure says the database need not be asked yet. */
  boolean skipDatabase() {
    return open && System.nanoTime() - quietUntilNanos < 0;
  }

  void failed() {
    quietUntilNanos = System.nanoTime() + PAUSE.toNanos();
    open = true;
  }

  void answered() {
    open = false;
  }
}
