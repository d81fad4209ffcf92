package io.tokenbroker.audit;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Issued tokens counted per caller, action, provider, connection (or app token scopes) and minute,
 * until the minute has ended and its counts become audit rows. Bounded: a token that would open a
 * count beyond {@link #MAX_OPEN} is refused here, and the caller records it as a row of its own
 * instead, so that many distinct callers and connections cost rows, never unbounded memory.
 */
final class IssuedTokenTally {

  /** Most counts open at once (each some 200 bytes). */
  static final int MAX_OPEN = 100_000;

  private static final long MINUTE_MILLIS = 60_000;

  private record Key(
      long minute,
      String actor,
      AuditAction action,
      String provider,
      UUID connectionId,
      String detail) {}

  /** Mutated only inside the map's compute, so a count closed by {@link #close} is final. */
  private static final class Count {
    final long firstMillis;
    final String firstRequestId;
    long lastMillis;
    String lastRequestId;
    int count;

    Count(long at, String requestId) {
      this.firstMillis = at;
      this.firstRequestId = requestId;
    }
  }

  private final Map<Key, Count> open = new ConcurrentHashMap<>();

  /** Counts one token; false when the tally is full and the token must be recorded on its own. */
  boolean add(
      String actor,
      AuditAction action,
      String provider,
      UUID connectionId,
      String detail,
      String requestId,
      long nowMillis) {
    Key key = new Key(nowMillis / MINUTE_MILLIS, actor, action, provider, connectionId, detail);
    if (open.size() >= MAX_OPEN && !open.containsKey(key)) {
      return false;
    }
    open.compute(
        key,
        (k, count) -> {
          Count c = count == null ? new Count(nowMillis, requestId) : count;
          c.count++;
          c.lastMillis = nowMillis;
          c.lastRequestId = requestId;
          return c;
        });
    return true;
  }

  /**
   * Removes the counts of minutes that ended before {@code nowMillis} (every count when {@code
   * all}) and hands each to {@code sink} as an audit row.
   */
  void close(long nowMillis, boolean all, Consumer<AuditEvent> sink) {
    long current = nowMillis / MINUTE_MILLIS;
    for (Iterator<Key> keys = open.keySet().iterator(); keys.hasNext(); ) {
      Key key = keys.next();
      if (all || key.minute() < current) {
        Count closed = open.remove(key);
        if (closed != null) {
          sink.accept(row(key, closed));
        }
      }
    }
  }

  int size() {
    return open.size();
  }

  private static AuditEvent row(Key key, Count c) {
    AuditEvent event = new AuditEvent();
    event.occurredAt = Instant.ofEpochMilli(c.firstMillis);
    event.actor = key.actor();
    event.action = key.action().wire();
    event.outcome = "ok";
    event.provider = key.provider();
    event.connectionId = key.connectionId();
    event.detail = key.detail();
    event.requestId = c.firstRequestId;
    event.issuedCount = c.count;
    event.lastOccurredAt = Instant.ofEpochMilli(c.lastMillis);
    event.lastRequestId = c.lastRequestId;
    return event;
  }
}
