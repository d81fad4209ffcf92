package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.RefreshTokenChain;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the scheduler claims due connections: a batch of leases in one statement, disjoint between
 * replicas, taken over once a crashed claimer's leases run out, and a run that goes on until
 * nothing is due; and what one refresh writes in one transaction.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class RefreshClaimTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject DueConnections due;
  @Inject LeaseStore leases;
  @Inject RefreshScheduler scheduler;
  @Inject RefreshCoordinator coordinator;
  @Inject TokenRotation rotation;
  @Inject RefreshConfig config;
  @Inject ProviderCatalog providers;
  @Inject RefreshFixture fixture;

  private PinterestStandIn pinterest;
  private Provider provider;
  private ExecutorService replicas;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    fixture.parkEveryConnection();
    provider = providers.require("pinterest");
    replicas = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void stopReplicas() {
    replicas.shutdownNow();
  }

  /** Linked connections whose access tokens are inside Pinterest's one-day margin, by grant. */
  private Map<UUID, IssuedTokens> dueConnections(String prefix, int count) {
    Map<UUID, IssuedTokens> linked = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      IssuedTokens grant = pinterest.issueGrant(prefix + "-" + i, "boards:read", "pins:read");
      UUID id = fixture.link(grant);
      fixture.accessTokenExpiresAt(id, Instant.now().plus(Duration.ofHours(1)));
      linked.put(id, grant);
    }
    return linked;
  }

  private List<HeldLease> claim(LeaseOwner owner, Duration ttl, int limit) {
    Instant now = Instant.now();
    return due.claim(provider, due.rule(provider, now), now, owner, ttl, limit);
  }

  private static Set<UUID> ids(List<HeldLease> claimed) {
    Set<UUID> ids = new HashSet<>();
    claimed.forEach(lease -> ids.add(lease.id()));
    return ids;
  }

  /** Every grant was rotated exactly once, by spending its refresh token once. */
  private void assertRotatedOnce(Map<UUID, IssuedTokens> linked) {
    linked.forEach(
        (id, grant) -> {
          RefreshTokenChain chain = pinterest.refreshChain(grant.account().id());
          assertThat(chain.used()).containsExactly(grant.refreshToken());
          assertThat(fixture.storedRefreshToken(id)).isEqualTo(chain.latest().orElseThrow());
          ConnectionSnapshot row = fixture.row(id);
          assertThat(row.status()).isEqualTo(ConnectionStatus.ACTIVE);
          assertThat(row.leaseOwner()).isNull();
        });
    assertThat(pinterest.invalidGrantRefusals()).isZero();
  }

  @Test
  void replicasClaimingAtOnceGetDisjointBatchesThatTogetherCoverEveryDueConnection()
      throws Exception {
    Map<UUID, IssuedTokens> linked = dueConnections("disjoint", 30);
    CyclicBarrier together = new CyclicBarrier(2);
    List<Future<List<HeldLease>>> claims = new ArrayList<>();
    for (String name : List.of("replica-a", "replica-b")) {
      LeaseOwner owner = new LeaseOwner(name);
      claims.add(
          replicas.submit(
              () -> {
                together.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                List<HeldLease> mine = new ArrayList<>(claim(owner, config.leaseTtl(), 4));
                // Both first batches are claimed at the same moment; without this second meeting
                // one replica could claim every batch before the other is scheduled at all.
                together.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                for (List<HeldLease> batch = claim(owner, config.leaseTtl(), 4);
                    !batch.isEmpty();
                    batch = claim(owner, config.leaseTtl(), 4)) {
                  mine.addAll(batch);
                }
                return mine;
              }));
    }
    List<HeldLease> a = claims.get(0).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    List<HeldLease> b = claims.get(1).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(a).hasSizeGreaterThanOrEqualTo(4);
    assertThat(b).hasSizeGreaterThanOrEqualTo(4);
    assertThat(ids(a)).hasSize(a.size()).doesNotContainAnyElementsOf(ids(b));
    assertThat(ids(b)).hasSize(b.size());
    Set<UUID> all = ids(a);
    all.addAll(ids(b));
    assertThat(all).containsExactlyInAnyOrderElementsOf(linked.keySet());
    for (HeldLease lease : a) {
      assertThat(fixture.row(lease.id()).leaseOwner()).isEqualTo("replica-a");
    }
    for (HeldLease lease : b) {
      assertThat(fixture.row(lease.id()).leaseOwner()).isEqualTo("replica-b");
    }
    // Nothing is left for this replica's scheduler until those leases end.
    assertThat(scheduler.runOnce()).isEmpty();
    assertThat(pinterest.tokenCalls()).isZero();
  }

  @Test
  void batchClaimedByAReplicaThatCrashedIsRefreshedByAnotherAfterTheLeaseTtl() {
    Map<UUID, IssuedTokens> linked = dueConnections("crashed", 3);
    List<HeldLease> crashed = claim(new LeaseOwner("replica-that-crashed"), config.leaseTtl(), 10);
    assertThat(ids(crashed)).containsExactlyInAnyOrderElementsOf(linked.keySet());

    assertThat(scheduler.runOnce()).isEmpty();
    assertThat(pinterest.tokenCalls()).isZero();

    linked.keySet().forEach(fixture::leaseExpired);
    assertThat(scheduler.runOnce()).isEqualTo(Map.of(RefreshResult.Outcome.REFRESHED, 3));

    assertRotatedOnce(linked);
    // The crashed replica's leases, released late, free nothing and change nothing.
    LeaseOwner later = new LeaseOwner("replica-c");
    linked.keySet().forEach(id -> assertThat(leases.acquire(id, later, WAIT)).isPresent());
    crashed.forEach(leases::release);
    linked.keySet().forEach(id -> assertThat(fixture.row(id).leaseOwner()).isEqualTo(later.id()));
  }

  @Test
  void oneRunRefreshesEveryDueConnectionOnceEvenWhenItIsDueAgainRightAfter() {
    // Tokens that live shorter than Pinterest's one-day margin are due again as soon as refreshed.
    pinterest.accessTokenLifetime(Duration.ofMinutes(10));
    int count = config.concurrencyPerProvider() * 2 + 3;
    Map<UUID, IssuedTokens> linked = dueConnections("short-lived", count);

    assertThat(scheduler.runOnce()).isEqualTo(Map.of(RefreshResult.Outcome.REFRESHED, count));

    assertRotatedOnce(linked);
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(count);
    // The next run takes them again; each grant's chain stays single-use.
    assertThat(scheduler.runOnce()).isEqualTo(Map.of(RefreshResult.Outcome.REFRESHED, count));
    linked.values().stream()
        .map(grant -> pinterest.refreshChain(grant.account().id()))
        .forEach(
            chain -> {
              assertThat(chain.used()).hasSize(2);
              assertThat(chain.eachPresentedAtMostOnce()).isTrue();
            });
    assertThat(pinterest.invalidGrantRefusals()).isZero();
  }

  @Test
  void claimThatWaitedTooLongForAWorkerIsGivenBackUnspent() {
    Map<UUID, IssuedTokens> linked = dueConnections("waited", 1);
    UUID id = linked.keySet().iterator().next();
    // Less lease left than Pinterest's connect plus read timeout: the call could outlive it.
    List<HeldLease> claimed = claim(coordinator.owner().scheduler(), Duration.ofSeconds(1), 1);
    assertThat(ids(claimed)).containsExactly(id);

    assertThat(coordinator.scheduled(claimed.get(0)).outcome())
        .isEqualTo(RefreshResult.Outcome.BUSY);

    assertThat(pinterest.tokenCalls()).isZero();
    assertThat(fixture.row(id).leaseOwner()).isNull();
    assertThat(scheduler.runOnce()).isEqualTo(Map.of(RefreshResult.Outcome.REFRESHED, 1));
    assertRotatedOnce(linked);
  }

  @Test
  void requestOfThisReplicaWaitsForAConnectionItsSchedulerClaimedInsteadOfSpendingItToo() {
    Map<UUID, IssuedTokens> linked = dueConnections("claimed-then-asked", 1);
    UUID id = linked.keySet().iterator().next();
    List<HeldLease> claimed = claim(coordinator.owner().scheduler(), config.leaseTtl(), 1);
    assertThat(ids(claimed)).containsExactly(id);

    assertThat(
            rotation
                .refresh(id, RefreshTrigger.ON_DEMAND, c -> true, coordinator.owner())
                .outcome())
        .isEqualTo(RefreshResult.Outcome.BUSY);
    assertThat(pinterest.tokenCalls()).isZero();

    assertThat(coordinator.scheduled(claimed.get(0)).outcome())
        .isEqualTo(RefreshResult.Outcome.REFRESHED);
    assertRotatedOnce(linked);
  }

  @Test
  void everyRefreshOutcomeCommitsItsAuditRowAndTheEndOfTheLeaseInOneTransaction() {
    Map<UUID, IssuedTokens> linked = dueConnections("audited", 3);
    List<UUID> ids = new ArrayList<>(linked.keySet());
    UUID scheduled = ids.get(0);
    UUID onDemand = ids.get(1);
    UUID degraded = ids.get(2);
    fixture.accessTokenExpiresAt(onDemand, Instant.now().plus(Duration.ofDays(5)));
    fixture.accessTokenExpiresAt(degraded, Instant.now().plus(Duration.ofDays(5)));

    assertThat(scheduler.runOnce()).isEqualTo(Map.of(RefreshResult.Outcome.REFRESHED, 1));
    assertThat(
            coordinator
                .ensureFresh(onDemand, Duration.ofDays(10), RefreshTrigger.ON_DEMAND)
                .outcome())
        .isEqualTo(RefreshResult.Outcome.REFRESHED);
    pinterest.enqueueTokenFaults(TokenEndpointFault.serviceUnavailable());
    assertThat(
            coordinator
                .ensureFresh(degraded, Duration.ofDays(10), RefreshTrigger.ON_DEMAND)
                .outcome())
        .isEqualTo(RefreshResult.Outcome.RETRY_LATER);

    // Same xmin: the audit row, the new state and the end of the lease came in one commit, and
    // no release or other write touched the row after it.
    for (UUID id : List.of(scheduled, onDemand)) {
      assertThat(fixture.auditWriters(id, "connection.refreshed"))
          .containsExactly(fixture.lastWriter(id));
      assertThat(fixture.row(id).leaseOwner()).isNull();
    }
    assertThat(fixture.auditWriters(degraded, "connection.status_changed"))
        .containsExactly(fixture.lastWriter(degraded));
    assertThat(fixture.row(degraded).status()).isEqualTo(ConnectionStatus.DEGRADED);
    assertThat(fixture.row(degraded).leaseOwner()).isNull();
  }

  @Test
  void poolThatRefreshWorkersCouldFillIsWarnedAbout() {
    int workers = 2 * 8;
    assertThat(RefreshPoolCheck.warning(workers + RefreshPoolCheck.REQUEST_HEADROOM - 1, 2, 8))
        .hasValueSatisfying(
            warning ->
                assertThat(warning)
                    .contains("quarkus.datasource.jdbc.max-size=20")
                    .contains("at least 21"));
    assertThat(RefreshPoolCheck.warning(workers + RefreshPoolCheck.REQUEST_HEADROOM, 2, 8))
        .isEmpty();
  }
}
