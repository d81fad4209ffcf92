package io.tokenbroker.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenbroker.connection.ConnectionChanged;
import io.tokenbroker.connection.ConnectionSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The hot path's memory: connection snapshots, bounded in number and age. Each entry also keeps its
 * access token once opened for a response, so that the AES-GCM work is done once per snapshot
 * rather than once per request; the opened token goes when the entry goes (changed, deleted,
 * evicted or expired). docs/security.md weighs this. Changes made here invalidate their entry at
 * once; changes made by other replicas arrive through the {@link ConnectionChangeFeed}.
 *
 * <p>A snapshot older than the TTL is not forgotten at once: it stays for {@code
 * broker.token.cache-stale-if-error} as the last known state, which {@link #lastKnown} hands out
 * when the database cannot be read. Nobody can change a connection while the database is down, so
 * the last known state is as current as any replica can know.
 */
@ApplicationScoped
public class TokenCache {

  private static final class Entry {
    final ConnectionSnapshot snapshot;
    final long loadedAtNanos;
    // Opened on first use, by whichever request gets there; two racing requests both open it and
    // store the same value.
    volatile OpenedToken opened;

    Entry(ConnectionSnapshot snapshot, long loadedAtNanos) {
      this.snapshot = snapshot;
      this.loadedAtNanos = loadedAtNanos;
    }
  }

  /** A snapshot's access token, opened, with the granted scopes as a response lists them. */
  record OpenedToken(String accessToken, List<String> scopes) {
    @Override
    public String toString() {
      return "OpenedToken[redacted]";
    }
  }

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
    return Optional.ofNullable(fresh(id));
  }

  /** As {@link #get}, null instead of empty: the hot path asks on every request. */
  ConnectionSnapshot fresh(UUID id) {
    Entry entry = entries.getIfPresent(id);
    if (entry == null || System.nanoTime() - entry.loadedAtNanos >= freshNanos) {
      return null;
    }
    return entry.snapshot;
  }

  /**
   * The access token of {@code snapshot}, opened by {@code opener} the first time and kept with the
   * entry while the entry holds this very snapshot; a snapshot no longer cached is opened each
   * time.
   */
  OpenedToken opened(ConnectionSnapshot snapshot, Supplier<String> opener) {
    Entry entry = entries.getIfPresent(snapshot.id());
    if (entry == null || entry.snapshot != snapshot) {
      return open(snapshot, opener);
    }
    OpenedToken opened = entry.opened;
    if (opened == null) {
      opened = open(snapshot, opener);
      entry.opened = opened;
    }
    return opened;
  }

  /** The opened token kept with {@code snapshot}'s entry, or null when there is none yet. */
  OpenedToken openedIfHeld(ConnectionSnapshot snapshot) {
    Entry entry = entries.getIfPresent(snapshot.id());
    return entry == null || entry.snapshot != snapshot ? null : entry.opened;
  }

  private static OpenedToken open(ConnectionSnapshot snapshot, Supplier<String> opener) {
    return new OpenedToken(opener.get(), List.copyOf(new TreeSet<>(snapshot.scopes())));
  }

  /** The provider of the connection when this replica holds it, else null; for metric tags. */
  String providerOf(UUID id) {
    Entry entry = entries.getIfPresent(id);
    return entry == null ? null : entry.snapshot.provider();
  }

  /** The latest snapshot held, however old (within the stale-if-error window). */
  public Optional<ConnectionSnapshot> lastKnown(UUID id) {
    Entry entry = entries.getIfPresent(id);
    return entry == null ? Optional.empty() : Optional.of(entry.snapshot);
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
    if (cached == null || cached.snapshot.version() == version) {
      return false;
    }
    entries.asMap().remove(id, cached);
    return true;
  }

  void onChange(@Observes ConnectionChanged change) {
    invalidate(change.connectionId());
  }
}
