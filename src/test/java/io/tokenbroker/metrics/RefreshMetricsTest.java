package io.tokenbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.refresh.LeaseOwner;
import io.tokenbroker.refresh.LeaseStore;
import io.tokenbroker.refresh.RefreshCoordinator;
import io.tokenbroker.refresh.RefreshResult;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refreshes move broker_refresh_total by trigger and outcome, their token-endpoint calls move
 * broker_upstream_request_seconds by outcome, and waiting on another replica's lease moves
 * broker_lease_wait_seconds.
 */
@QuarkusTest
// The Pinterest stand-in set up as for LinkPinterestAccountTest, but shared: every observability
// test class runs against one application (restrictToAnnotatedClass would restart it per class).
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class RefreshMetricsTest {

  private static final String REFRESHES = "broker_refresh_total";
  private static final String UPSTREAM_COUNT = "broker_upstream_request_seconds_count";

  @Inject RefreshCoordinator coordinator;
  @Inject LeaseStore leases;

  private PinterestStandIn pinterest;
  private PinterestFlows flows;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    flows = new PinterestFlows(pinterest);
  }

  /**
   * A connection whose token lives an hour and was not refreshed recently; refreshes then bring the
   * usual 30 days.
   */
  private UUID linkWithAnHourLeft(String username) {
    pinterest.accessTokenLifetime(Duration.ofHours(1));
    UUID id = flows.link(username);
    PinterestFlows.refreshedLongAgo(id);
    pinterest.accessTokenLifetime(Duration.ofDays(30));
    return id;
  }

  private static double refreshes(Scrape after, Scrape before, String trigger, String outcome) {
    return after.since(
        before, REFRESHES, "provider", "pinterest", "trigger", trigger, "outcome", outcome);
  }

  private static double refreshCalls(Scrape after, Scrape before, String outcome) {
    return after.since(
        before,
        UPSTREAM_COUNT,
        "provider",
        "pinterest",
        "grant",
        "refresh_token",
        "outcome",
        outcome);
  }

  @Test
  void forcedRefreshCountsForcedSuccessAndOneRefreshTokenCall() {
    UUID id = flows.link("metrics-forced");
    Scrape before = Scrape.now();

    PinterestFlows.forceRefresh(id).then().statusCode(200);

    Scrape after = Scrape.now();
    assertThat(refreshes(after, before, "forced", "success")).isEqualTo(1);
    assertThat(refreshCalls(after, before, "success")).isEqualTo(1);
  }

  @Test
  void tokenThatWouldNotLiveLongEnoughCountsAnOnDemandRefresh() {
    UUID id = linkWithAnHourLeft("metrics-on-demand");
    Scrape before = Scrape.now();

    PinterestFlows.accessToken(id, 7200);

    Scrape after = Scrape.now();
    assertThat(refreshes(after, before, "on_demand", "success")).isEqualTo(1);
    assertThat(refreshCalls(after, before, "success")).isEqualTo(1);
  }

  @Test
  void schedulerRefreshCountsScheduledSuccessAndDueRowsAlreadyFreshAsSkipped() {
    UUID id = flows.link("metrics-scheduled");
    Scrape before = Scrape.now();

    RefreshResult refreshed = coordinator.scheduled(id, c -> true);
    RefreshResult fresh = coordinator.scheduled(id, c -> false);

    Scrape after = Scrape.now();
    assertThat(refreshed.outcome()).isEqualTo(RefreshResult.Outcome.REFRESHED);
    assertThat(fresh.outcome()).isEqualTo(RefreshResult.Outcome.ALREADY_FRESH);
    assertThat(refreshes(after, before, "scheduled", "success")).isEqualTo(1);
    assertThat(refreshes(after, before, "scheduled", "skipped")).isEqualTo(1);
  }

  @Test
  void providerOutageCountsTransientErrorAndTransientFailure() {
    UUID id = flows.link("metrics-outage");
    pinterest.enqueueTokenFaults(TokenEndpointFault.serviceUnavailable());
    Scrape before = Scrape.now();

    PinterestFlows.forceRefresh(id).then().statusCode(200);

    Scrape after = Scrape.now();
    assertThat(refreshes(after, before, "forced", "transient_failure")).isEqualTo(1);
    assertThat(refreshCalls(after, before, "transient_error")).isEqualTo(1);
  }

  @Test
  void edgeErrorPageCountsProviderMisbehaving() {
    UUID id = flows.link("metrics-edge-page");
    pinterest.enqueueTokenFaults(TokenEndpointFault.htmlPage(404));
    Scrape before = Scrape.now();

    PinterestFlows.forceRefresh(id).then().statusCode(200);

    Scrape after = Scrape.now();
    assertThat(refreshes(after, before, "forced", "provider_misbehaving")).isEqualTo(1);
    assertThat(refreshes(after, before, "forced", "permanent_failure")).isZero();
    assertThat(refreshCalls(after, before, "transient_error")).isEqualTo(1);
  }

  @Test
  void deadGrantCountsInvalidGrantAndPermanentFailure() {
    UUID id = flows.link("metrics-revoked");
    pinterest.killGrant(pinterest.signedInAccount().id());
    Scrape before = Scrape.now();

    PinterestFlows.forceRefresh(id).then().statusCode(200);

    Scrape after = Scrape.now();
    assertThat(refreshes(after, before, "forced", "permanent_failure")).isEqualTo(1);
    assertThat(refreshCalls(after, before, "invalid_grant")).isEqualTo(1);
  }

  @Test
  void refusedClientSecretCountsInvalidClient() {
    UUID id = flows.link("metrics-bad-secret");
    pinterest.acceptClientSecrets("rotated-at-pinterest-only");
    Scrape before = Scrape.now();

    PinterestFlows.forceRefresh(id).then().statusCode(200);

    Scrape after = Scrape.now();
    assertThat(refreshCalls(after, before, "invalid_client")).isEqualTo(1);
    assertThat(refreshCalls(after, before, "success")).isZero();
  }

  @Test
  void waitingForAnotherReplicasLeaseIsTimed() {
    UUID id = linkWithAnHourLeft("metrics-lease");
    Scrape before = Scrape.now();
    // Another replica holds the lease for a moment; this request must wait it out.
    assertThat(leases.acquire(id, new LeaseOwner("other-replica"), Duration.ofMillis(1500)))
        .isPresent();

    PinterestFlows.accessToken(id, 7200);

    Scrape after = Scrape.now();
    assertThat(after.since(before, "broker_lease_wait_seconds_count", "provider", "pinterest"))
        .isEqualTo(1);
    assertThat(after.since(before, "broker_lease_wait_seconds_sum", "provider", "pinterest"))
        .isGreaterThan(0.1);
    assertThat(refreshes(after, before, "on_demand", "success")).isEqualTo(1);
  }
}
