package io.tokenbroker.refresh;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The {@code broker_instance} table: which live replica uses which lease owner id. Leases are
 * fenced by owner id, and a replica takes a lease under its own id again (see {@link
 * LeaseStore#acquire}); two live replicas with one id would therefore each take the other's leases
 * and could present the same refresh token twice. A replica announces its id at start and refuses
 * to start while another live replica, one whose heartbeat is younger than three heartbeat
 * intervals by the database's clock, holds it. A replica that stopped without saying goodbye (a
 * crash, SIGKILL) frees its id once its heartbeat is that old.
 */
@ApplicationScoped
class LeaseOwnerRegistry {

  private static final Logger LOG = Logger.getLogger(LeaseOwnerRegistry.class);

  /** Rows of replicas gone this long are removed when another replica starts. */
  private static final Duration FORGET_AFTER = Duration.ofDays(1);

  private static final String CLAIM =
      "INSERT INTO broker_instance (owner_id, instance_id, started_at, heartbeat_at)"
          + " VALUES (?, ?, now(), now()) ON CONFLICT (owner_id) DO UPDATE SET"
          + " instance_id = excluded.instance_id, heartbeat_at = now(),"
          + " started_at = CASE WHEN broker_instance.instance_id = excluded.instance_id"
          + " THEN broker_instance.started_at ELSE now() END"
          + " WHERE broker_instance.instance_id = excluded.instance_id"
          + " OR broker_instance.heartbeat_at < now() - make_interval(secs => ?)";

  private final DataSource dataSource;
  private final String ownerId;
  private final Duration stale;
  private final UUID instance = UUID.randomUUID();
  private volatile boolean lost;

  @Inject
  LeaseOwnerRegistry(DataSource dataSource, RefreshCoordinator coordinator, RefreshConfig config) {
    this(dataSource, coordinator.owner().id(), config.ownerHeartbeat());
  }

  LeaseOwnerRegistry(DataSource dataSource, String ownerId, Duration heartbeat) {
    this.dataSource = dataSource;
    this.ownerId = ownerId;
    this.stale = heartbeat.multipliedBy(3);
  }

  void onStart(@Observes StartupEvent event) {
    register();
  }

  /**
   * Announces this replica's owner id.
   *
   * @throws ConfigurationException naming {@code broker.refresh.owner-id} when another live replica
   *     holds it
   */
  void register() {
    if (!claim()) {
      throw new ConfigurationException(
          "broker.refresh.owner-id: '"
              + ownerId
              + "' is in use by another live replica (last heartbeat "
              + heartbeatAge()
              + " ago); every replica needs its own lease owner id: leave broker.refresh.owner-id"
              + " unset to get a unique one, or give each replica a distinct value such as its"
              + " pod name");
    }
    execute(
        "DELETE FROM broker_instance WHERE heartbeat_at < now() - make_interval(secs => ?)",
        FORGET_AFTER.toSeconds());
    LOG.debugf("lease owner id %s registered for instance %s", ownerId, instance);
  }

  @Scheduled(
      every = "${broker.refresh.owner-heartbeat:PT10S}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void heartbeat() {
    boolean held;
    try {
      held = claim();
    } catch (IllegalStateException e) {
      // The database is away: nobody else can take the id meanwhile without a heartbeat either.
      LOG.debugf("lease owner heartbeat not written: %s", e.getMessage());
      return;
    }
    if (!held && !lost) {
      lost = true;
      LOG.errorf(
          "lease owner id %s was taken by another replica while this one missed its heartbeats;"
              + " two live replicas now share it: give each replica its own"
              + " broker.refresh.owner-id",
          ownerId);
    } else if (held && lost) {
      lost = false;
      LOG.infof("lease owner id %s is this replica's again", ownerId);
    }
  }

  /** Frees the id at once on a clean stop, so a replacement with the same name can start. */
  void onStop(@Observes ShutdownEvent event) {
    try {
      execute(
          "DELETE FROM broker_instance WHERE owner_id = ? AND instance_id = ?", ownerId, instance);
    } catch (IllegalStateException e) {
      LOG.warnf("lease owner id %s not released (%s); it frees itself after %s", ownerId, e, stale);
    }
  }

  /**
   * True when this instance now holds the owner id (new, its own, or taken over from a dead one).
   */
  private boolean claim() {
    return execute(CLAIM, ownerId, instance, stale.toMillis() / 1000.0) == 1;
  }

  private String heartbeatAge() {
    String sql =
        "SELECT extract(epoch FROM now() - heartbeat_at) FROM broker_instance WHERE owner_id = ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, ownerId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Duration.ofMillis(Math.round(rs.getDouble(1) * 1000)).toString() : "?";
      }
    } catch (SQLException e) {
      return "?";
    }
  }

  private int execute(String sql, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("broker_instance: " + e.getMessage(), e);
    }
  }
}
