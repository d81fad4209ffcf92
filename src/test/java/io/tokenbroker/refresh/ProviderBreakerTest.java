package io.tokenbroker.refresh;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The refresher's per-provider circuit breaker, over real HTTP against the Pinterest stand-in: a
 * token endpoint that fails for everyone, or calls many grants dead at once, is paused after a
 * bounded number of calls instead of degrading or killing every due connection.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class ProviderBreakerTest {

  private static final Pattern PAUSED =
      Pattern.compile(
          "^broker_refresh_paused\\{[^}]*provider=\"pinterest\"[^}]*} (\\S+)$", Pattern.MULTILINE);

  @Inject RefreshScheduler scheduler;
  @Inject RefreshConfig config;
  @Inject RefreshFixture fixture;
  @Inject ProviderBreakers breakers;

  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    fixture.parkEveryConnection();
  }

  @AfterEach
  void closeBreakers() {
    pinterest.healthy();
    fixture.healthyBreakers();
  }

  private List<UUID> dueConnections(String prefix, int count, List<IssuedTokens> grants) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      IssuedTokens grant = pinterest.issueGrant(prefix + i, "boards:read");
      grants.add(grant);
      UUID id = fixture.link(grant);
      fixture.accessTokenExpiresAt(id, Instant.now().plus(Duration.ofHours(1)));
      ids.add(id);
    }
    return ids;
  }

  private static double pausedGauge() {
    String metrics = given().accept("text/plain").get("/q/metrics").asString();
    Matcher m = PAUSED.matcher(metrics);
    assertThat(m.find()).as("broker_refresh_paused{provider=pinterest} is exported").isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void edgePagesForEveryConnectionPauseTheProviderAfterTheThresholdAndNothingIsMarkedDead() {
    List<IssuedTokens> grants = new ArrayList<>();
    List<UUID> ids = dueConnections("html-", 100, grants);
    int threshold = config.breaker().failureThreshold();
    assertThat(threshold).isGreaterThanOrEqualTo(config.concurrencyPerProvider());
    pinterest.answerEveryTokenRequestWith(TokenEndpointFault.htmlPage(404));

    Map<RefreshResult.Outcome, Integer> outcomes = scheduler.runOnce();

    assertThat(pinterest.tokenCalls()).isEqualTo(threshold);
    assertThat(outcomes).containsEntry(RefreshResult.Outcome.RETRY_LATER, threshold);
    assertThat(breakers.isOpen("pinterest")).isTrue();
    assertThat(pausedGauge()).isEqualTo(1.0);
    // Paused: a run before the probe is due asks the provider nothing.
    assertThat(scheduler.runOnce()).isEmpty();
    assertThat(pinterest.tokenCalls()).isEqualTo(threshold);
    // The probe goes out alone and, failing, keeps the pause.
    fixture.probeDue("pinterest");
    scheduler.runOnce();
    assertThat(pinterest.tokenCalls()).isEqualTo(threshold + 1);
    assertThat(breakers.isOpen("pinterest")).isTrue();
    for (UUID id : ids) {
      assertThat(fixture.row(id).status()).isIn(ConnectionStatus.ACTIVE, ConnectionStatus.DEGRADED);
    }

    // Healthy again: the next probe succeeds, the refresher resumes and refreshes the rest.
    pinterest.healthy();
    fixture.probeDue("pinterest");
    scheduler.runOnce();
    assertThat(breakers.isOpen("pinterest")).isFalse();
    assertThat(pausedGauge()).isEqualTo(0.0);
    ids.forEach(fixture::backoffOver);
    scheduler.runOnce();
    for (int i = 0; i < ids.size(); i++) {
      UUID id = ids.get(i);
      assertThat(fixture.row(id).status())
          .as("connection %d", i)
          .isEqualTo(ConnectionStatus.ACTIVE);
      var chain = pinterest.refreshChain(grants.get(i).account().id());
      assertThat(chain.eachPresentedAtMostOnce()).isTrue();
      assertThat(fixture.storedRefreshToken(id)).isEqualTo(chain.latest().orElseThrow());
    }
    assertThat(pinterest.invalidGrantRefusals()).isZero();
  }

  @Test
  void aBurstOfInvalidGrantPausesTheProviderAndTheAdminRefreshUndoesTheVerdictsGivenBefore() {
    List<IssuedTokens> grants = new ArrayList<>();
    List<UUID> ids = dueConnections("burst-", 30, grants);
    // The provider wrongly calls every grant dead, without spending any refresh token.
    pinterest.answerEveryTokenRequestWith(
        TokenEndpointFault.respond(400, "{\"error\":\"invalid_grant\"}"));
    int burst = config.breaker().invalidGrantMinConnections();

    scheduler.runOnce();

    assertThat(breakers.isOpen("pinterest")).isTrue();
    List<UUID> dead =
        ids.stream()
            .filter(id -> fixture.row(id).status() == ConnectionStatus.REAUTHORIZATION_REQUIRED)
            .toList();
    List<UUID> withheld =
        ids.stream().filter(id -> fixture.row(id).status() == ConnectionStatus.DEGRADED).toList();
    // Verdicts before the burst was recognised stand; the one that completed it and any that
    // arrived while it was open are withheld; the rest were never asked.
    assertThat(dead).hasSize(burst - 1);
    assertThat(withheld).hasSizeBetween(1, config.concurrencyPerProvider());
    assertThat(pinterest.tokenCalls()).isEqualTo(dead.size() + withheld.size());
    assertThat(withheld.stream().map(fixture::lastError)).allMatch(e -> e.contains("withheld"));

    // An outage during the undo changes nothing: the verdict stays until the provider accepts.
    pinterest.answerEveryTokenRequestWith(TokenEndpointFault.htmlPage(503));
    PinterestFlows.forceRefresh(dead.get(0))
        .then()
        .statusCode(200)
        .body("status", org.hamcrest.Matchers.equalTo("reauthorization_required"));

    // The provider is healthy again: the admin refresh presents each stored refresh token once
    // more and brings the connection back.
    pinterest.healthy();
    for (UUID id : dead) {
      PinterestFlows.forceRefresh(id)
          .then()
          .statusCode(200)
          .body("status", org.hamcrest.Matchers.equalTo("active"));
    }
    for (int i = 0; i < ids.size(); i++) {
      UUID id = ids.get(i);
      if (!dead.contains(id)) {
        continue;
      }
      var chain = pinterest.refreshChain(grants.get(i).account().id());
      assertThat(chain.used()).containsExactly(grants.get(i).refreshToken());
      assertThat(fixture.storedRefreshToken(id)).isEqualTo(chain.latest().orElseThrow());
      assertThat(fixture.audit(id, "connection.status_changed").stream().map(e -> e.outcome))
          .containsExactly("reauthorization_required", "active");
    }
  }

  @Test
  void adminRefreshOfATrulyDeadGrantConfirmsTheVerdict() {
    IssuedTokens grant = pinterest.issueGrant("truly-dead", "boards:read");
    UUID id = fixture.link(grant);
    pinterest.killGrant(grant.account().id());
    PinterestFlows.forceRefresh(id)
        .then()
        .statusCode(200)
        .body("status", org.hamcrest.Matchers.equalTo("reauthorization_required"));

    PinterestFlows.forceRefresh(id)
        .then()
        .statusCode(200)
        .body("status", org.hamcrest.Matchers.equalTo("reauthorization_required"));

    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(2);
    assertThat(fixture.audit(id, "connection.status_changed")).hasSize(1);
    // The scheduler never retries a dead grant on its own.
    fixture.accessTokenExpiresAt(id, Instant.now().minusSeconds(1));
    assertThat(scheduler.runOnce()).isEmpty();
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(2);
  }
}
