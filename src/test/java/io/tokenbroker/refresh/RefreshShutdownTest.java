package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.RefreshTokenChain;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the refresher does when the application stops (its pre-shutdown and ShutdownEvent observers
 * call {@link RefreshScheduler#drain}): an attempt whose upstream call is in flight, and whose
 * refresh token the provider has already rotated, is waited for and written, so the chain is not
 * broken.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class RefreshShutdownTest {

  @Inject RefreshScheduler scheduler;
  @Inject RefreshFixture fixture;

  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    fixture.parkEveryConnection();
  }

  @AfterEach
  void takeWorkAgain() {
    scheduler.resume();
  }

  @Test
  void stoppingWaitsForTheRefreshInFlightAndWritesItsRotation() throws Exception {
    IssuedTokens grant = pinterest.issueGrant("in-flight-at-stop", "boards:read");
    UUID id = fixture.link(grant);
    fixture.accessTokenExpiresAt(id, Instant.now().plus(Duration.ofHours(1)));
    // The provider rotates at once and holds its answer for a few seconds.
    pinterest.enqueueTokenFaults(TokenEndpointFault.realAnswer().withDelay(Duration.ofSeconds(3)));

    CompletableFuture<Map<RefreshResult.Outcome, Integer>> run =
        CompletableFuture.supplyAsync(scheduler::runOnce);
    assertThat(pinterest.awaitTokenCalls(1, Duration.ofSeconds(20))).isTrue();

    scheduler.drain();

    // Written before drain returned (the datasource closes right after it at shutdown).
    RefreshTokenChain chain = pinterest.refreshChain(grant.account().id());
    assertThat(chain.used()).containsExactly(grant.refreshToken());
    assertThat(fixture.storedRefreshToken(id)).isEqualTo(chain.latest().orElseThrow());
    assertThat(fixture.row(id).status()).isEqualTo(ConnectionStatus.ACTIVE);
    assertThat(run.get(5, TimeUnit.SECONDS)).isEqualTo(Map.of(RefreshResult.Outcome.REFRESHED, 1));
    // While stopping, nothing new is claimed.
    fixture.accessTokenExpiresAt(id, Instant.now().plus(Duration.ofHours(1)));
    assertThat(scheduler.runOnce()).isEmpty();
    assertThat(pinterest.tokenCalls()).isEqualTo(1);
    assertThat(chain.eachPresentedAtMostOnce()).isTrue();
  }

  @Test
  void drainBoundCoversThreeTokenCallsAtTheSlowestProvider() {
    // Defaults: 2 s connect + 10 s read, three calls (secret reload), plus the write.
    assertThat(scheduler.drainBound()).isEqualTo(Duration.ofSeconds(38));
  }
}
