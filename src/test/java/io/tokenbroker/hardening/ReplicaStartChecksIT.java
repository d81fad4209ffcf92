package io.tokenbroker.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenbroker.support.BrokerProcess;
import io.tokenbroker.support.BrokerSettings;
import io.tokenbroker.support.RestartablePostgres;
import io.tokenbroker.support.upstream.PinterestStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas of the packaged broker, each a process of its own, on one PostgreSQL without Vault: a
 * replica that would run with keys only it holds, or under another live replica's lease owner id,
 * must refuse to start and name the setting to fix; a replica that shares the key file starts.
 */
class ReplicaStartChecksIT {

  /** A broker start on a busy build machine, Flyway included. */
  private static final Duration START = Duration.ofSeconds(120);

  @TempDir Path work;

  private RestartablePostgres postgres;
  private PinterestStandIn pinterest;
  private final Map<String, BrokerProcess> running = new LinkedHashMap<>();

  @BeforeEach
  void startDependencies() {
    postgres = RestartablePostgres.start();
    pinterest = new PinterestStandIn().start();
  }

  @AfterEach
  void stopEverything() {
    running.values().forEach(BrokerProcess::close);
    pinterest.close();
    postgres.close();
  }

  @Test
  void replicasRefuseToStartWithTheirOwnKeyFileOrAnotherLiveReplicasOwnerIdAndNameTheSetting() {
    Path sharedKeys = work.resolve("shared/token-broker.keys");
    BrokerProcess first = start("first", sharedKeys, "pod-0");
    first.awaitReady(START);

    BrokerProcess ownKeys = start("own-keys", work.resolve("own/token-broker.keys"), "pod-1");
    assertThat(ownKeys.awaitExit(START)).isNotZero();
    assertThat(ownKeys.lines())
        .anyMatch(
            line ->
                line.contains("broker.crypto.local-key-file")
                    && line.contains("does not hold data key(s)"));

    BrokerProcess sameOwner = start("same-owner", sharedKeys, "pod-0");
    assertThat(sameOwner.awaitExit(START)).isNotZero();
    assertThat(sameOwner.lines())
        .anyMatch(
            line ->
                line.contains(
                    "broker.refresh.owner-id: 'pod-0' is in use by another live replica"));

    // A clean stop frees the id at once; the shared key file is accepted.
    first.terminate();
    first.awaitExit(START);
    BrokerProcess replacement = start("replacement", sharedKeys, "pod-0");
    replacement.awaitReady(START);
    assertThat(replacement.status("/q/health/ready")).isEqualTo(200);
  }

  private BrokerProcess start(String name, Path keyFile, String ownerId) {
    int port = BrokerProcess.freePort();
    Map<String, String> settings = BrokerSettings.of(postgres, pinterest, work, port);
    settings.put("broker.crypto.local-key-file", keyFile.toString());
    settings.put("broker.refresh.unsaved-rotations-dir", work.resolve(name + "-spool").toString());
    settings.put("broker.refresh.owner-id", ownerId);
    BrokerProcess process = BrokerProcess.start(name, port, settings);
    running.put(name, process);
    return process;
  }
}
