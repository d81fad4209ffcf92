package io.tokenbroker.refresh;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.RefreshTokenChain;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The refresh lease across replicas: an owner that dies or stalls mid-refresh blocks the others
 * only for its TTL, and cannot spoil the connection when it comes back after another owner took
 * over. "After its TTL" is reached by moving the lease's expiry into the past, which is all that
 * time passing changes for the lease.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class RefreshLeaseTest {

  private static final Predicate<ConnectionSnapshot> ALWAYS = c -> true;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject TokenRotation rotation;
  @Inject LeaseStore leases;
  @Inject RefreshCoordinator coordinator;
  @Inject RefreshScheduler scheduler;
  @Inject DueConnections due;
  @Inject ProviderCatalog providers;
  @Inject RefreshConfig config;
  @Inject RefreshFixture fixture;

  private PinterestStandIn pinterest;
  private ExecutorService slowReplica;
  private final LeaseOwner other = new LeaseOwner("replica-b");

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    fixture.parkEveryConnection();
    slowReplica = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void stopSlowReplica() {
    slowReplica.shutdownNow();
  }

  @Test
  void leaseOfAnOwnerThatDiedIsBusyWithinItsTtlAndTakenOverAfterIt() {
    IssuedTokens grant = pinterest.issueGrant("lease-died", "boards:read", "pins:read");
    UUID id = fixture.link(grant);
    fixture.accessTokenExpiresAt(id, Instant.now().plus(Duration.ofHours(1)));
    LeaseOwner died = new LeaseOwner("replica-that-died");
    HeldLease diedHeld =
        HeldLease.of(
            leases.acquire(id, died, config.leaseTtl()).orElseThrow(),
            died,
            LeaseClock.starting(config.leaseTtl()));

    assertThat(rotation.refresh(id, RefreshTrigger.SCHEDULED, ALWAYS, other).outcome())
        .isEqualTo(RefreshResult.Outcome.BUSY);
    assertThat(
            rotation.refresh(id, RefreshTrigger.ON_DEMAND, ALWAYS, coordinator.owner()).outcome())
        .isEqualTo(RefreshResult.Outcome.BUSY);
    Instant now = Instant.now();
    var pinterestProvider = providers.require("pinterest");
    assertThat(due.select(pinterestProvider, due.rule(pinterestProvider, now), now, 500))
        .doesNotContain(id);
    scheduler.runOnce();
    assertThat(pinterest.tokenCalls()).isZero();
    assertThat(fixture.row(id).leaseOwner()).isEqualTo(died.id());

    fixture.leaseExpired(id);
    RefreshResult takeover = rotation.refresh(id, RefreshTrigger.SCHEDULED, ALWAYS, other);

    assertThat(takeover.outcome()).isEqualTo(RefreshResult.Outcome.REFRESHED);
    RefreshTokenChain chain = pinterest.refreshChain(grant.account().id());
    assertThat(chain.used()).containsExactly(grant.refreshToken());
    assertThat(chain.eachPresentedAtMostOnce()).isTrue();
    assertThat(fixture.storedRefreshToken(id)).isEqualTo(chain.latest().orElseThrow());
    ConnectionSnapshot row = fixture.row(id);
    assertThat(row.status()).isEqualTo(ConnectionStatus.ACTIVE);
    assertThat(row.leaseOwner()).isNull();
    assertThat(pinterest.invalidGrantRefusals()).isZero();

    // The dead owner's late release cannot free a lease someone else holds now.
    HeldLease otherHeld =
        HeldLease.of(
            leases.acquire(id, other, config.leaseTtl()).orElseThrow(),
            other,
            LeaseClock.starting(config.leaseTtl()));
    leases.release(diedHeld);
    assertThat(fixture.row(id).leaseOwner()).isEqualTo(other.id());
    // A lease an owner left behind (it could not release it) is its own to take again, and only
    // the release of the newer acquisition frees it.
    HeldLease retaken =
        HeldLease.of(
            leases.acquire(id, other, config.leaseTtl()).orElseThrow(),
            other,
            LeaseClock.starting(config.leaseTtl()));
    leases.release(otherHeld);
    assertThat(fixture.row(id).leaseOwner()).isEqualTo(other.id());
    leases.release(retaken);
    assertThat(fixture.row(id).leaseOwner()).isNull();
  }

  @Test
  void ownerThatOutlivedItsLeaseCannotDegradeTheConnectionAnotherOwnerRefreshed() throws Exception {
    IssuedTokens grant = pinterest.issueGrant("lease-stalled", "boards:read", "pins:read");
    UUID id = fixture.link(grant);
    CountDownLatch answer = new CountDownLatch(1);
    pinterest.enqueueTokenFaults(TokenEndpointFault.serviceUnavailable().heldUntil(answer));
    LeaseOwner stalled = new LeaseOwner("replica-stalled");
    Future<RefreshResult> late =
        slowReplica.submit(() -> rotation.refresh(id, RefreshTrigger.SCHEDULED, ALWAYS, stalled));
    assertThat(pinterest.awaitTokenCalls(1, WAIT)).isTrue();
    assertThat(rotation.refresh(id, RefreshTrigger.SCHEDULED, ALWAYS, other).outcome())
        .isEqualTo(RefreshResult.Outcome.BUSY);

    fixture.leaseExpired(id);
    assertThat(rotation.refresh(id, RefreshTrigger.SCHEDULED, ALWAYS, other).outcome())
        .isEqualTo(RefreshResult.Outcome.REFRESHED);
    answer.countDown();
    RefreshResult stalledResult = late.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(stalledResult.outcome()).isEqualTo(RefreshResult.Outcome.ALREADY_FRESH);
    ConnectionSnapshot row = fixture.row(id);
    assertThat(row.status()).isEqualTo(ConnectionStatus.ACTIVE);
    assertThat(row.nextRefreshAt()).isNull();
    assertThat(row.leaseOwner()).isNull();
    assertThat(fixture.failureCount(id)).isZero();
    RefreshTokenChain chain = pinterest.refreshChain(grant.account().id());
    assertThat(fixture.storedRefreshToken(id)).isEqualTo(chain.latest().orElseThrow());
    assertThat(chain.eachPresentedAtMostOnce()).isTrue();
    assertThat(fixture.audit(id, "connection.status_changed")).isEmpty();
  }

  @Test
  void ownerThatOutlivedItsLeaseDiscardsTheTokensItGotAfterTheTakeover() throws Exception {
    IssuedTokens grant = pinterest.issueGrant("lease-late-answer", "boards:read", "pins:read");
    UUID id = fixture.link(grant);
    IssuedTokens lateTokens = pinterest.issueGrant("lease-late-answer", "boards:read");
    CountDownLatch answer = new CountDownLatch(1);
    pinterest.enqueueTokenFaults(
        TokenEndpointFault.respond(200, OnDemandRefreshTest.tokenAnswer(lateTokens))
            .heldUntil(answer));
    LeaseOwner stalled = new LeaseOwner("replica-stalled");
    Future<RefreshResult> late =
        slowReplica.submit(() -> rotation.refresh(id, RefreshTrigger.SCHEDULED, ALWAYS, stalled));
    assertThat(pinterest.awaitTokenCalls(1, WAIT)).isTrue();

    fixture.leaseExpired(id);
    assertThat(rotation.refresh(id, RefreshTrigger.SCHEDULED, ALWAYS, other).outcome())
        .isEqualTo(RefreshResult.Outcome.REFRESHED);
    String takenOver = fixture.storedRefreshToken(id);
    answer.countDown();
    RefreshResult stalledResult = late.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(stalledResult.outcome()).isEqualTo(RefreshResult.Outcome.ALREADY_FRESH);
    assertThat(fixture.storedRefreshToken(id))
        .isEqualTo(takenOver)
        .isNotEqualTo(lateTokens.refreshToken());
    assertThat(fixture.row(id).status()).isEqualTo(ConnectionStatus.ACTIVE);
    // One rotation was stored, so one is audited.
    assertThat(fixture.audit(id, "connection.refreshed")).hasSize(1);
  }

  @Test
  void accountLinkedAgainDuringARefreshKeepsTheNewGrant() throws Exception {
    IssuedTokens grant = pinterest.issueGrant("relinked", "boards:read");
    UUID id = fixture.link(grant);
    IssuedTokens lateTokens = pinterest.issueGrant("relinked", "boards:read");
    CountDownLatch answer = new CountDownLatch(1);
    pinterest.enqueueTokenFaults(
        TokenEndpointFault.respond(200, OnDemandRefreshTest.tokenAnswer(lateTokens))
            .heldUntil(answer));
    Future<RefreshResult> refreshing =
        slowReplica.submit(() -> rotation.refresh(id, RefreshTrigger.SCHEDULED, ALWAYS, other));
    assertThat(pinterest.awaitTokenCalls(1, WAIT)).isTrue();

    // The person links the account again, with one more scope, while the refresh is in flight.
    IssuedTokens relinked = pinterest.issueGrant("relinked", "boards:read", "pins:read");
    assertThat(fixture.link(relinked)).isEqualTo(id);
    answer.countDown();
    RefreshResult result = refreshing.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(RefreshResult.Outcome.ALREADY_FRESH);
    assertThat(fixture.storedRefreshToken(id)).isEqualTo(relinked.refreshToken());
    assertThat(fixture.storedAccessToken(id)).isEqualTo(relinked.accessToken());
    assertThat(fixture.row(id).scopes()).containsExactlyInAnyOrder("boards:read", "pins:read");
    assertThat(fixture.row(id).leaseOwner()).isNull();
  }

  @Test
  void connectionDeletedWhileItRefreshesStaysRevokedAndTheLateTokensAreRevoked() throws Exception {
    IssuedTokens grant = pinterest.issueGrant("deleted-mid-refresh", "boards:read", "pins:read");
    UUID id = fixture.link(grant);
    IssuedTokens lateTokens = pinterest.issueGrant("deleted-mid-refresh", "boards:read");
    CountDownLatch answer = new CountDownLatch(1);
    pinterest.enqueueTokenFaults(
        TokenEndpointFault.respond(200, OnDemandRefreshTest.tokenAnswer(lateTokens))
            .heldUntil(answer));
    Future<RefreshResult> refreshing = slowReplica.submit(() -> coordinator.force(id));
    assertThat(pinterest.awaitTokenCalls(1, WAIT)).isTrue();

    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .delete("/v1/connections/" + id)
        .then()
        .statusCode(200);
    answer.countDown();
    RefreshResult result = refreshing.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(RefreshResult.Outcome.GONE);
    ConnectionSnapshot row = fixture.row(id);
    assertThat(row.status()).isEqualTo(ConnectionStatus.REVOKED);
    assertThat(row.accessTokenEnc()).isNull();
    assertThat(row.refreshTokenEnc()).isNull();
    // Tokens minted for a connection that no longer exists must not stay usable upstream.
    assertThat(pinterest.isAccessTokenLive(lateTokens.accessToken())).isFalse();
    assertThat(
            pinterest.refreshChain(grant.account().id()).links().stream()
                .filter(link -> link.refreshToken().equals(lateTokens.refreshToken()))
                .allMatch(RefreshTokenChain.Link::revoked))
        .isTrue();
  }
}
