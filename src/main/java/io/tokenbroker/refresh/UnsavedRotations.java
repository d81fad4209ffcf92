package io.tokenbroker.refresh;

import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.metrics.BrokerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens the provider issued that the database did not take: it stayed down through every write
 * attempt. With a rotating refresh token these tokens exist nowhere else (the old refresh token is
 * spent upstream), so losing them would force a person to link the account again. They are held
 * here, in memory only, until {@link TokenRotation} writes them: on the connection's next refresh,
 * instead of presenting the spent token, or from its periodic retry.
 */
@ApplicationScoped
public class UnsavedRotations {

  /**
   * @param lease the lease the refresh that obtained the tokens held, with the row as it found it;
   *     its refresh token is the one presented, and the write is fenced on it
   */
  record Unsaved(
      HeldLease lease, TokenResponse tokens, RefreshTrigger trigger, Instant obtainedAt) {

    /** The sealed refresh token that was presented. */
    String spent() {
      return lease.refreshTokenEnc();
    }
  }

  private final Map<UUID, Unsaved> byConnection = new ConcurrentHashMap<>();

  UnsavedRotations(BrokerMetrics metrics) {
    metrics.unsavedRotations(byConnection::size);
  }

  void keep(Unsaved unsaved) {
    byConnection.put(unsaved.lease().id(), unsaved);
  }

  Optional<Unsaved> find(UUID connectionId) {
    return Optional.ofNullable(byConnection.get(connectionId));
  }

  /** Forgets the tokens obtained by spending {@code spent}, once written or superseded. */
  void forget(UUID connectionId, String spent) {
    byConnection.computeIfPresent(
        connectionId, (id, held) -> Objects.equals(held.spent(), spent) ? null : held);
  }

  List<Unsaved> all() {
    return List.copyOf(byConnection.values());
  }

  /** How many connections hold tokens not yet stored; for readiness details and tests. */
  public int count() {
    return byConnection.size();
  }
}
