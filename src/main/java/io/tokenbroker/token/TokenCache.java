package io.tokenbroker.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenbroker.connection.ConnectionChanged;
import io.tokenbroker.connection.ConnectionSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The hot path's memory: connection snapshots, bounded in number and age. It holds access tokens
 * only sealed (as stored); they are opened per response. Changes made here invalidate their entry
 * at once; changes made by other replicas arrive through the {@link ConnectionChangeFeed}.
 *
 * <p>A snapshot older than the TTL is not forgotten at once: it stays for {@code
 * broker.token.cache-stale-if-error} as the last known state, which {@link #lastKnown} hands out
 * when the database cannot be read. Nobody can change a connection while the database is down, so
 * the last known state is as current as any replica can know.
 */
@ApplicationScoped
public class TokenCache {

  private record Entry(ConnectionSnapshot snapshot, long loadedAtNanos) {}

  private final Cache<UUID, Entry> entries;
  private final long freshNanos;

  TokenCache(TokenConfig config) {
    this.freshNanos = config.cacheTtl().toNanos();
    Duration keep =
        config.cacheStaleIfError().compareTo(config.cacheTtl()) > 0
            ? config.cacheStaleIfError()
            : config.cacheTtl();
    this.entries =
        Caffeine.newBuilder().maximumSize(config.cacheMaxEntries()).expireAfterWrite(keep).build();
  }

  /** The snapshot when it was read from the database less than the TTL ago. */
  public Optional<ConnectionSnapshot> get(UUID id) {
    Entry entry = entries.getIfPresent(id);
    if (entry == null || System.nanoTime() - entry.loadedAtNanos() >= freshNanos) {
      return Optional.empty();
    }
    return Optional.of(entry.snapshot());
  }

  /** The latest snapshot held, however old (within the stale-if-error window). */
  public Optional<ConnectionSnapshot> lastKnown(UUID id) {
    return Optional.ofNullable(entries.getIfPresent(id)).map(Entry::snapshot);
  }

  public void put(ConnectionSnapshot snapshot) {
    entries.put(snapshot.id(), new Entry(snapshot, System.nanoTime()));
  }

  public void invalidate(UUID id) {
    entries.invalidate(id);
  }

  /** Drops the entry when it is older than the row's {@code version}; true when it did. */
  boolean invalidateUnless(UUID id, long version) {
    Entry cached = entries.getIfPresent(id);
    if (cached == null || cached.snapshot().version() == version) {
      return false;
    }
    entries.asMap().remove(id, cached);
    return true;
  }

  void onChange(@Observes ConnectionChanged change) {
    invalidate(change.connectionId());
  }
}
