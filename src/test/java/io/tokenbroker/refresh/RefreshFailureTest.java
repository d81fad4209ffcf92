package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.RefreshTokenChain;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How refreshes fail: transient errors degrade a connection and are retried on the backoff
 * schedule; a dead grant ends in {@code reauthorization_required}; an answer lost after the
 * provider rotated is a documented limit of strictly single-use refresh tokens.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class RefreshFailureTest {

  @Inject RefreshScheduler scheduler;
  @Inject RefreshCoordinator coordinator;
  @Inject RefreshConfig config;
  @Inject RefreshFixture fixture;

  @TestHTTPResource("/")
  URI broker;

  private PinterestStandIn pinterest;
  private TokenFetches fetches;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    fixture.parkEveryConnection();
    fetches = new TokenFetches(broker);
  }

  /** A linked connection whose access token is within Pinterest's one-day refresh margin. */
  private UUID dueConnection(IssuedTokens grant) {
    UUID id = fixture.link(grant);
    fixture.accessTokenExpiresAt(id, Instant.now().plus(Duration.ofHours(1)));
    return id;
  }

  private static Map<RefreshResult.Outcome, Integer> only(RefreshResult.Outcome outcome) {
    return Map.of(outcome, 1);
  }

  private List<String> statusChanges(UUID id) {
    return fixture.audit(id, "connection.status_changed").stream()
        .map(event -> event.outcome)
        .toList();
  }

  @Test
  void answerLostAfterTheProviderRotatedSpendsTheGrantAndEndsInReauthorizationRequired() {
    for (TokenEndpointFault lost :
        List.of(
            TokenEndpointFault.dropConnection().afterProcessing(),
            TokenEndpointFault.truncatedBody(200, "{\"access_token\":\"pina.lost\"}")
                .afterProcessing())) {
      pinterest.reset();
      IssuedTokens grant = pinterest.issueGrant("lost-answer", "boards:read", "pins:read");
      UUID id = dueConnection(grant);
      pinterest.enqueueTokenFaults(lost);

      assertThat(scheduler.runOnce()).isEqualTo(only(RefreshResult.Outcome.RETRY_LATER));

      // The provider spent the stored refresh token and issued one nobody received.
      RefreshTokenChain chain = pinterest.refreshChain(grant.account().id());
      assertThat(chain.used()).containsExactly(grant.refreshToken());
      assertThat(chain.issued()).hasSize(2);
      assertThat(fixture.storedRefreshToken(id)).isEqualTo(grant.refreshToken());
      assertThat(fixture.row(id).status()).isEqualTo(ConnectionStatus.DEGRADED);

      fixture.backoffOver(id);
      assertThat(scheduler.runOnce())
          .isEqualTo(only(RefreshResult.Outcome.REAUTHORIZATION_REQUIRED));

      // The retry presents the spent token once more, is refused, and nothing can save the grant.
      assertThat(pinterest.invalidGrantRefusals()).isEqualTo(1);
      assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(2);
      ConnectionSnapshot row = fixture.row(id);
      assertThat(row.status()).isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);
      assertThat(statusChanges(id)).containsExactly("degraded", "reauthorization_required");
      assertThat(fetches.fetch(id, 60).code()).isEqualTo("reauthorization_required");
    }
  }

  @Test
  void answersThatAreNoVerdictLeaveTheConnectionDegradedAndItRecoversWhenTheUpstreamIsHealthy() {
    int n = 0;
    for (TokenEndpointFault edge : TokenEndpointFault.noVerdictAnswers()) {
      IssuedTokens grant = pinterest.issueGrant("edge-" + n++, "boards:read", "pins:read");
      UUID id = dueConnection(grant);
      pinterest.enqueueTokenFaults(edge);

      assertThat(scheduler.runOnce())
          .as(edge.toString())
          .isEqualTo(only(RefreshResult.Outcome.RETRY_LATER));
      assertThat(fixture.row(id).status()).as(edge.toString()).isEqualTo(ConnectionStatus.DEGRADED);
      assertThat(fixture.storedRefreshToken(id)).isEqualTo(grant.refreshToken());

      fixture.backoffOver(id);
      assertThat(scheduler.runOnce())
          .as(edge.toString())
          .isEqualTo(only(RefreshResult.Outcome.REFRESHED));
      assertThat(fixture.row(id).status()).isEqualTo(ConnectionStatus.ACTIVE);
      RefreshTokenChain chain = pinterest.refreshChain(grant.account().id());
      assertThat(chain.eachPresentedAtMostOnce()).as(edge.toString()).isTrue();
      assertThat(fixture.storedRefreshToken(id)).isEqualTo(chain.latest().orElseThrow());
      assertThat(statusChanges(id)).containsExactly("degraded", "active");
    }
    assertThat(pinterest.invalidGrantRefusals()).isZero();
  }

  @Test
  void explicitInvalidGrantInAnOAuthBodyStillEndsInReauthorizationRequired() {
    IssuedTokens grant = pinterest.issueGrant("oauth-verdict", "boards:read", "pins:read");
    UUID id = dueConnection(grant);
    pinterest.enqueueTokenFaults(TokenEndpointFault.respond(400, "{\"error\":\"invalid_grant\"}"));

    assertThat(scheduler.runOnce()).isEqualTo(only(RefreshResult.Outcome.REAUTHORIZATION_REQUIRED));
    assertThat(fixture.row(id).status()).isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);
  }

  @Test
  void transientFailuresAreRetriedOnTheBackoffScheduleAndRecoveryIsAudited() {
    IssuedTokens grant = pinterest.issueGrant("flaky", "boards:read", "pins:read");
    UUID id = dueConnection(grant);
    Duration capFloor = Duration.ofHours(1).dividedBy(config.maxAttemptsPerHour());
    int failures = 7;
    for (int n = 1; n <= failures; n++) {
      pinterest.enqueueTokenFaults(
          n % 2 == 0
              ? TokenEndpointFault.serviceUnavailable()
              : TokenEndpointFault.dropConnection());
      Instant before = Instant.now();
      assertThat(scheduler.runOnce()).isEqualTo(only(RefreshResult.Outcome.RETRY_LATER));
      Instant after = Instant.now();

      assertThat(pinterest.tokenCalls()).isEqualTo(n);
      ConnectionSnapshot row = fixture.row(id);
      assertThat(row.status()).isEqualTo(ConnectionStatus.DEGRADED);
      assertThat(fixture.failureCount(id)).isEqualTo(n);
      Duration ceiling = config.backoffBase().multipliedBy(1L << (n - 1));
      ceiling = ceiling.compareTo(config.backoffMax()) > 0 ? config.backoffMax() : ceiling;
      Duration lower = max(capFloor, ceiling.dividedBy(2));
      Duration upper = max(capFloor, ceiling);
      assertThat(row.nextRefreshAt())
          .as("retry after failure %d", n)
          .isBetween(before.plus(lower), after.plus(upper));

      // Until then neither the refresher nor callers reach the provider; the access token,
      // which still lives, is served.
      assertThat(scheduler.runOnce()).isEmpty();
      assertThat(
              coordinator.ensureFresh(id, Duration.ofHours(2), RefreshTrigger.ON_DEMAND).outcome())
          .isEqualTo(RefreshResult.Outcome.RETRY_LATER);
      if (n == 1) {
        TokenFetches.Answer served = fetches.fetch(id, 7200);
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.accessToken()).isEqualTo(grant.accessToken());
      }
      assertThat(pinterest.tokenCalls()).isEqualTo(n);
      fixture.backoffOver(id);
    }

    assertThat(scheduler.runOnce()).isEqualTo(only(RefreshResult.Outcome.REFRESHED));

    assertThat(pinterest.tokenCalls()).isEqualTo(failures + 1);
    ConnectionSnapshot row = fixture.row(id);
    assertThat(row.status()).isEqualTo(ConnectionStatus.ACTIVE);
    assertThat(row.nextRefreshAt()).isNull();
    assertThat(fixture.failureCount(id)).isZero();
    assertThat(fixture.lastError(id)).isNull();
    assertThat(fixture.storedRefreshToken(id))
        .isEqualTo(pinterest.refreshChain(grant.account().id()).latest().orElseThrow());
    assertThat(statusChanges(id)).containsExactly("degraded", "active");
    assertThat(fixture.audit(id, "connection.refresh_failed")).hasSize(failures - 1);
    assertThat(fixture.audit(id, "connection.refreshed")).hasSize(1);
    assertThat(pinterest.invalidGrantRefusals()).isZero();
  }

  @Test
  void rateLimitRetryAfterPostponesTheNextAttemptAndCallersGet503UntilThen() {
    IssuedTokens grant = pinterest.issueGrant("rate-limited", "boards:read", "pins:read");
    UUID id = fixture.link(grant);
    fixture.accessTokenExpiresAt(id, Instant.now().minusSeconds(60));

    pinterest.enqueueTokenFaults(TokenEndpointFault.rateLimited(120));
    Instant before = Instant.now();
    assertThat(scheduler.runOnce()).isEqualTo(only(RefreshResult.Outcome.RETRY_LATER));
    assertThat(fixture.row(id).nextRefreshAt()).isAfterOrEqualTo(before.plusSeconds(120));

    assertThat(scheduler.runOnce()).isEmpty();
    TokenFetches.Answer refused = fetches.fetch(id, 60);
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.code()).isEqualTo("upstream_unavailable");
    assertThat(Long.parseLong(refused.retryAfter())).isBetween(110L, 3600L);
    assertThat(pinterest.tokenCalls()).isEqualTo(1);

    // A Retry-After longer than backoff and cap is honoured too.
    fixture.backoffOver(id);
    pinterest.enqueueTokenFaults(TokenEndpointFault.rateLimited(2400));
    before = Instant.now();
    assertThat(scheduler.runOnce()).isEqualTo(only(RefreshResult.Outcome.RETRY_LATER));
    assertThat(fixture.row(id).nextRefreshAt()).isAfterOrEqualTo(before.plusSeconds(2400));
    TokenFetches.Answer stillRefused = fetches.fetch(id, 60);
    assertThat(stillRefused.status()).isEqualTo(503);
    assertThat(Long.parseLong(stillRefused.retryAfter())).isBetween(2390L, 2400L);
    assertThat(pinterest.tokenCalls()).isEqualTo(2);
    assertThat(pinterest.refreshChain(grant.account().id()).used()).isEmpty();
  }

  @Test
  void deadGrantEndsInReauthorizationRequiredAndCallersGet409WithTheReauthorizeLink() {
    IssuedTokens grant = pinterest.issueGrant("withdrawn", "boards:read", "pins:read");
    UUID id = dueConnection(grant);
    pinterest.killGrant(grant.account().id());

    assertThat(scheduler.runOnce()).isEqualTo(only(RefreshResult.Outcome.REAUTHORIZATION_REQUIRED));

    assertThat(pinterest.invalidGrantRefusals()).isEqualTo(1);
    assertThat(fixture.row(id).status()).isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);
    List<AuditEvent> changes = fixture.audit(id, "connection.status_changed");
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).outcome).isEqualTo("reauthorization_required");
    assertThat(changes.get(0).detail).contains("scheduled").contains("INVALID_GRANT");
    assertThat(scheduler.runOnce()).isEmpty();

    assertReauthorizationRequired(fetches.fetch(id, 60));
    assertThat(pinterest.tokenCalls()).isEqualTo(1);
  }

  @Test
  void callerWhoseRefreshMeetsADeadGrantGets409() {
    IssuedTokens grant = pinterest.issueGrant("withdrawn-on-demand", "boards:read", "pins:read");
    UUID id = fixture.link(grant);
    fixture.accessTokenExpiresAt(id, Instant.now().plusSeconds(30));
    pinterest.killGrant(grant.account().id());

    assertReauthorizationRequired(fetches.fetch(id, 60));

    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
    assertThat(fixture.row(id).status()).isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);
    assertThat(statusChanges(id)).containsExactly("reauthorization_required");
  }

  @Test
  void expiredRefreshTokenEndsInReauthorizationRequiredWithoutCallingUpstream() {
    UUID onDemand =
        fixture.link(pinterest.issueGrant("expired-refresh-1", "boards:read", "pins:read"));
    fixture.refreshTokenExpiresAt(onDemand, Instant.now().minusSeconds(60));
    fixture.accessTokenExpiresAt(onDemand, Instant.now().plusSeconds(30));
    // Only a caller may find this one: the refresher is kept away from it.
    fixture.parkEveryConnection();
    UUID scheduled =
        fixture.link(pinterest.issueGrant("expired-refresh-2", "boards:read", "pins:read"));
    fixture.refreshTokenExpiresAt(scheduled, Instant.now().minusSeconds(60));

    assertReauthorizationRequired(fetches.fetch(onDemand, 60));
    assertThat(scheduler.runOnce()).isEqualTo(only(RefreshResult.Outcome.REAUTHORIZATION_REQUIRED));

    for (UUID id : List.of(onDemand, scheduled)) {
      assertThat(fixture.row(id).status()).isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);
      assertThat(statusChanges(id)).containsExactly("reauthorization_required");
      assertReauthorizationRequired(fetches.fetch(id, 60));
    }
    assertThat(pinterest.tokenCalls()).isZero();
  }

  private static void assertReauthorizationRequired(TokenFetches.Answer answer) {
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(409);
    assertThat(answer.code()).isEqualTo("reauthorization_required");
    assertThat(answer.body().at("/reauthorize/href").asText()).isEqualTo("/v1/authorizations");
    assertThat(answer.body().at("/reauthorize/method").asText()).isEqualTo("POST");
    assertThat(answer.body().at("/reauthorize/body/provider").asText()).isEqualTo("pinterest");
    assertThat(answer.body().at("/reauthorize/body/scopes").toString())
        .isEqualTo("[\"boards:read\",\"pins:read\"]");
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
