package io.tokenbroker.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenbroker.connection.ConnectionChanged;
import io.tokenbroker.connection.ConnectionSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The hot path's memory: connection snapshots, bounded in number and age. It holds access tokens
 * only sealed (as stored); they are opened per response. Changes made here invalidate their entry
 * at once; changes made by other replicas arrive through the {@link ConnectionChangeFeed}.
 */
@ApplicationScoped
public class TokenCache {

  private final Cache<UUID, ConnectionSnapshot> entries;

  TokenCache(TokenConfig config) {
    this.entries =
        Caffeine.newBuilder()
            .maximumSize(config.cacheMaxEntries())
            .expireAfterWrite(config.cacheTtl())
            .build();
  }

  public Optional<ConnectionSnapshot> get(UUID id) {
    return Optional.ofNullable(entries.getIfPresent(id));
  }

  /**
   * The cached snapshot, or the one {@code load} finds (then cached). Concurrent misses of one
   * connection share a single load, so a cold cache under load reads each row once.
   */
  public Optional<ConnectionSnapshot> getOrLoad(
      UUID id, Function<UUID, Optional<ConnectionSnapshot>> load) {
    return Optional.ofNullable(entries.get(id, key -> load.apply(key).orElse(null)));
  }

  public void put(ConnectionSnapshot snapshot) {
    entries.put(snapshot.id(), snapshot);
  }

  public void invalidate(UUID id) {
    entries.invalidate(id);
  }

  /** Drops the entry when it is older than the row's {@code version}; true when it did. */
  boolean invalidateUnless(UUID id, long version) {
    ConnectionSnapshot cached = entries.getIfPresent(id);
    if (cached == null || cached.version() == version) {
      return false;
    }
    entries.asMap().remove(id, cached);
    return true;
  }

  void onChange(@Observes ConnectionChanged change) {
    invalidate(change.connectionId());
  }
}
