package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.tokenbroker.support.MigratedPostgres;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Owner ids against a real PostgreSQL, with the table as the migration creates it. */
class LeaseOwnerRegistryTest {

  private static final Duration HEARTBEAT = Duration.ofSeconds(10);
  private static MigratedPostgres postgres;
  private static DataSource db;

  @BeforeAll
  static void startDatabase() {
    postgres = MigratedPostgres.start("V110__broker_instance_and_local_keys.sql");
    db = postgres.dataSource();
  }

  @AfterAll
  static void stopDatabase() {
    postgres.close();
  }

  @BeforeEach
  void empty() throws Exception {
    postgres.execute("DELETE FROM broker_instance");
  }

  @Test
  void secondLiveReplicaWithTheSameOwnerIdIsRefusedNamingTheSetting() {
    new LeaseOwnerRegistry(db, "pod-a", HEARTBEAT).register();

    assertThatThrownBy(() -> new LeaseOwnerRegistry(db, "pod-a", HEARTBEAT).register())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(
            "broker.refresh.owner-id: 'pod-a' is in use by another live replica");
  }

  @Test
  void replicasWithDifferentOwnerIdsStartSideBySide() throws Exception {
    new LeaseOwnerRegistry(db, "pod-a", HEARTBEAT).register();
    new LeaseOwnerRegistry(db, "pod-b", HEARTBEAT).register();

    assertThat(postgres.number("SELECT count(*) FROM broker_instance")).isEqualTo(2);
  }

  @Test
  void ownerIdOfAReplicaThatStoppedHeartbeatingIsTakenOver() throws Exception {
    LeaseOwnerRegistry crashed = new LeaseOwnerRegistry(db, "pod-a", HEARTBEAT);
    crashed.register();
    // Its last heartbeat three intervals ago, by the database's clock.
    postgres.execute("UPDATE broker_instance SET heartbeat_at = now() - interval '31 seconds'");

    assertThatCode(() -> new LeaseOwnerRegistry(db, "pod-a", HEARTBEAT).register())
        .doesNotThrowAnyException();
    assertThat(
            postgres.number(
                "SELECT count(*) FROM broker_instance WHERE heartbeat_at > now() - interval '5 seconds'"))
        .isEqualTo(1);
  }

  @Test
  void heartbeatKeepsTheIdHeldAgainstANewcomer() throws Exception {
    LeaseOwnerRegistry live = new LeaseOwnerRegistry(db, "pod-a", HEARTBEAT);
    live.register();
    postgres.execute("UPDATE broker_instance SET heartbeat_at = now() - interval '29 seconds'");
    live.heartbeat();

    assertThatThrownBy(() -> new LeaseOwnerRegistry(db, "pod-a", HEARTBEAT).register())
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void cleanStopFreesTheOwnerIdAtOnce() {
    LeaseOwnerRegistry first = new LeaseOwnerRegistry(db, "pod-a", HEARTBEAT);
    first.register();
    first.onStop(null);

    assertThatCode(() -> new LeaseOwnerRegistry(db, "pod-a", HEARTBEAT).register())
        .doesNotThrowAnyException();
  }
}
