package io.tokenbroker.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenbroker.connection.ConnectionChanged;
import io.tokenbroker.connection.ConnectionSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.UUID;

/**
 * The hot path's memory: recent connection snapshots, bounded and short-lived. It holds access
 * tokens only sealed (as stored); they are opened per response. Refresh, callers change and delete
 * invalidate their entry here; other replicas see such changes within the TTL.
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

  public void put(ConnectionSnapshot snapshot) {
    entries.put(snapshot.id(), snapshot);
  }

  public void invalidate(UUID id) {
    entries.invalidate(id);
  }

  void onChange(@Observes ConnectionChanged change) {
    invalidate(change.connectionId());
  }
}
