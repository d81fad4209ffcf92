package io.tokenbroker.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenbroker.support.BrokerProcess;
import io.tokenbroker.support.CallerTokens;
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
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
    settings.put("quarkus.datasource.username", RestartablePostgres.USER);
    settings.put("quarkus.datasource.password", RestartablePostgres.USER);
    settings.put("quarkus.log.console.json.enabled", "false");
    settings.put("quarkus.log.console.async.enabled", "false");
    settings.put("broker.crypto.local-key-file", keyFile.toString());
    settings.put("broker.callers.embedded-key-directory", work.resolve("caller-keys").toString());
    settings.put("broker.refresh.unsaved-rotations-dir", work.resolve(name + "-spool").toString());
    settings.put("broker.refresh.owner-id", ownerId);
    settings.put("mp.jwt.verify.publickey", CallerTokens.pem(CallerTokens.verificationKey()));
    settings.put("mp.jwt.verify.issuer", CallerTokens.ISSUER);
    settings.put("mp.jwt.verify.audiences", CallerTokens.AUDIENCE);
    String provider = "broker.providers.pinterest.";
    settings.put(provider + "preset", "pinterest");
    settings.put(provider + "authorization-endpoint", pinterest.authorizationEndpoint());
    settings.put(provider + "token-endpoint", pinterest.tokenEndpoint());
    settings.put(provider + "account-endpoint", pinterest.accountEndpoint());
    settings.put(provider + "revocation-endpoint", pinterest.revocationEndpoint());
    settings.put(provider + "api-base-url", pinterest.apiBaseUrl());
    settings.put(provider + "client-id", pinterest.clientId());
    settings.put(provider + "client-secret", pinterest.initialClientSecret());
    settings.put(provider + "redirect-uri", "http://localhost:" + port + "/v1/oauth/callback");
    BrokerProcess process = BrokerProcess.start(name, port, settings);
    running.put(name, process);
    return process;
  }
}
