package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.support.Poll;
import io.tokenbroker.support.RequestsInProgress;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Callers whose token would not live {@code min_ttl_seconds} refresh it on their way. */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class OnDemandRefreshTest {

  private static final int CALLERS = 50;

  @Inject RefreshFixture fixture;
  @Inject RequestsInProgress inProgress;

  @TestHTTPResource("/")
  URI broker;

  private PinterestStandIn pinterest;
  private TokenFetches fetches;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    fetches = new TokenFetches(broker);
  }

  @Test
  void fiftyConcurrentCallersOfAnExpiringTokenShareOneUpstreamRefresh() throws Exception {
    pinterest.accessTokenLifetime(Duration.ofSeconds(30));
    UUID id = fixture.link(pinterest.issueGrant("expiring", "boards:read", "pins:read"));
    // What Pinterest answers to the refresh: a new pair for the same account, an hour to live.
    pinterest.accessTokenLifetime(Duration.ofHours(1));
    IssuedTokens next = pinterest.issueGrant("expiring", "boards:read", "pins:read");
    CountDownLatch release = new CountDownLatch(1);
    pinterest.enqueueTokenFaults(
        TokenEndpointFault.respond(200, tokenAnswer(next)).heldUntil(release));

    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<TokenFetches.Answer>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < CALLERS; i++) {
        answers.add(
            callers.submit(
                () -> {
                  go.await();
                  return fetches.fetch(id, 60);
                }));
      }
      go.countDown();
      assertThat(pinterest.awaitTokenCalls(1, Duration.ofSeconds(30))).isTrue();
      // The one refresh stays in flight until every caller is inside the broker waiting for it
      // (well within the provider read timeout of 10 s).
      awaitActiveRequests(CALLERS, Duration.ofSeconds(8));
      release.countDown();
      for (Future<TokenFetches.Answer> future : answers) {
        TokenFetches.Answer answer = future.get(60, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.accessToken()).isEqualTo(next.accessToken());
        assertThat(answer.body().path("expires_in").asLong()).isGreaterThan(60);
      }
    } finally {
      release.countDown();
      callers.shutdownNow();
    }
    assertThat(pinterest.tokenCalls()).isEqualTo(1);
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
    assertThat(fixture.storedAccessToken(id)).isEqualTo(next.accessToken());
    assertThat(fixture.storedRefreshToken(id)).isEqualTo(next.refreshToken());
    assertThat(pinterest.isAccessTokenLive(next.accessToken())).isTrue();
  }

  @Test
  void tokenTheProviderJustIssuedIsServedEvenWhenItLivesLessThanAsked() {
    pinterest.accessTokenLifetime(Duration.ofMinutes(10));
    IssuedTokens grant = pinterest.issueGrant("short-lived", "boards:read", "pins:read");
    UUID id = fixture.link(grant);

    TokenFetches.Answer answer = fetches.fetch(id, 3600);

    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
    assertThat(answer.accessToken()).isNotEqualTo(grant.accessToken());
    assertThat(pinterest.isAccessTokenLive(answer.accessToken())).isTrue();
    assertThat(answer.body().path("expires_in").asLong()).isBetween(1L, 600L);
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
    assertThat(fixture.storedRefreshToken(id))
        .isEqualTo(pinterest.refreshChain(grant.account().id()).latest().orElseThrow());
  }

  @Test
  void tokenThatLivesLongEnoughIsServedWithoutCallingTheProvider() {
    IssuedTokens grant = pinterest.issueGrant("long-lived", "boards:read", "pins:read");
    UUID id = fixture.link(grant);

    TokenFetches.Answer answer = fetches.fetch(id, 3600);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.accessToken()).isEqualTo(grant.accessToken());
    assertThat(pinterest.tokenCalls()).isZero();
  }

  /** A Pinterest refresh answer carrying {@code tokens}. */
  static String tokenAnswer(IssuedTokens tokens) {
    long now = Instant.now().getEpochSecond();
    return "{\"access_token\":\""
        + tokens.accessToken()
        + "\",\"refresh_token\":\""
        + tokens.refreshToken()
        + "\",\"response_type\":\"refresh_token\",\"token_type\":\"bearer\",\"expires_in\":"
        + (tokens.accessTokenExpiresAt().getEpochSecond() - now)
        + ",\"refresh_token_expires_in\":"
        + (tokens.refreshTokenExpiresAt().getEpochSecond() - now)
        + ",\"refresh_token_expires_at\":"
        + tokens.refreshTokenExpiresAt().getEpochSecond()
        + ",\"scope\":\""
        + String.join(" ", new java.util.TreeSet<>(tokens.scopes()))
        + "\"}";
  }

  /** Waits until the broker is working on at least this many requests. */
  private void awaitActiveRequests(int atLeast, Duration timeout) {
    Poll.until(
        atLeast + " requests in progress at the broker",
        timeout,
        () -> inProgress.now() >= atLeast);
  }
}
