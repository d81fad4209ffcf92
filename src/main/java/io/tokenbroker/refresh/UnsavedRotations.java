package io.tokenbroker.refresh;

import io.quarkus.runtime.StartupEvent;
import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.metrics.BrokerMetrics;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Tokens the provider issued that the database did not take: it stayed down through every write
 * attempt. With a rotating refresh token these tokens exist nowhere else (the old refresh token is
 * spent upstream), so losing them would force a person to link the account again. They are held
 * here until {@link TokenRotation} writes them: on the connection's next refresh, instead of
 * presenting the spent token, or from its periodic retry. Each is also written, sealed, to the
 * {@link RotationSpool} the moment it is kept, and the spool is loaded back at the next start, so a
 * stop (or a kill) before the database is back loses nothing.
 */
@ApplicationScoped
public class UnsavedRotations {

  private static final Logger LOG = Logger.getLogger(UnsavedRotations.class);

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
  private final RotationSpool spool;
  private final BrokerMetrics metrics;

  UnsavedRotations(BrokerMetrics metrics, RotationSpool spool) {
    this.spool = spool;
    this.metrics = metrics;
    metrics.unsavedRotations(byConnection::size);
  }

  /**
   * Before the refresher and the retry run: a connection whose rotation a previous process kept
   * must not be refreshed with the spent token.
   */
  void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    adopt(spool.load());
  }

  /** Takes in spool files that did not open at start and do now; called by each retry. */
  void adoptNowReadable() {
    adopt(spool.retryUnopened());
  }

  private void adopt(List<Unsaved> loaded) {
    for (Unsaved unsaved : loaded) {
      byConnection.putIfAbsent(unsaved.lease().id(), unsaved);
      LOG.warnf(
          "connection %s: rotated tokens obtained at %s and not stored then were loaded from %s;"
              + " they are stored at the next retry or refresh",
          unsaved.lease().id(), unsaved.obtainedAt(), spool.directory());
    }
  }

  /**
   * Keeps {@code unsaved} (replacing an older one of the connection) and writes it to the spool.
   *
   * @return whether it reached the spool
   */
  boolean keep(Unsaved unsaved) {
    boolean[] spooled = new boolean[1];
    // The file is written under the map's lock of this connection, so the file and the map agree
    // on which rotation is kept.
    byConnection.compute(
        unsaved.lease().id(),
        (id, old) -> {
          spooled[0] = spool.write(unsaved);
          return unsaved;
        });
    metrics.rotationKeptUnsaved(spooled[0]);
    return spooled[0];
  }

  Optional<Unsaved> find(UUID connectionId) {
    return Optional.ofNullable(byConnection.get(connectionId));
  }

  /** Forgets the tokens obtained by spending {@code spent}, once written or superseded. */
  void forget(UUID connectionId, String spent) {
    byConnection.computeIfPresent(
        connectionId,
        (id, held) -> {
          if (!Objects.equals(held.spent(), spent)) {
            return held;
          }
          spool.delete(id);
          return null;
        });
  }

  /** Whether the connection's kept tokens are also on disk, and so survive this process. */
  boolean spooled(UUID connectionId) {
    return spool.holds(connectionId);
  }

  List<Unsaved> all() {
    return List.copyOf(byConnection.values());
  }

  /** How many connections hold tokens not yet stored; for readiness details and tests. */
  public int count() {
    return byConnection.size();
  }
}
