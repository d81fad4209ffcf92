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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which connections the scheduled refresher picks: Pinterest's margins (access token one day,
 * refresh token seven days), the maximum refresh-token age (seven days), each well clear of the
 * ten-minute jitter; and what it does when the provider keeps the refresh token.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class DueSelectionTest {

  @Inject DueConnections due;
  @Inject RefreshScheduler scheduler;
  @Inject LeaseStore leases;
  @Inject RefreshConfig config;
  @Inject ProviderCatalog providers;
  @Inject RefreshFixture fixture;

  private PinterestStandIn pinterest;
  private Provider provider;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    fixture.parkEveryConnection();
    provider = providers.require("pinterest");
  }

  private List<UUID> dueNow() {
    Instant now = Instant.now();
    return due.select(provider, due.rule(provider, now), now, 1000);
  }

  private UUID link(String username) {
    return fixture.link(pinterest.issueGrant(username, "boards:read", "pins:read"));
  }

  @Test
  void eachMarginAndTheMaximumAgeMakeAConnectionDueAndAFreshOneIsLeftAlone() {
    Instant now = Instant.now();
    UUID accessExpiring = link("access-expiring");
    fixture.accessTokenExpiresAt(accessExpiring, now.plus(Duration.ofHours(12)));
    UUID refreshExpiring = link("refresh-expiring");
    fixture.refreshTokenExpiresAt(refreshExpiring, now.plus(Duration.ofDays(3)));
    UUID old = link("old-refresh-token");
    fixture.refreshedAt(old, now.minus(config.maxRefreshTokenAge()).minus(Duration.ofDays(1)));
    UUID fresh = link("fresh");
    UUID nearlyOld = link("nearly-old");
    fixture.refreshedAt(nearlyOld, now.minus(Duration.ofDays(5)));
    UUID leased = link("leased");
    fixture.accessTokenExpiresAt(leased, now.plus(Duration.ofHours(12)));
    assertThat(leases.acquire(leased, new LeaseOwner("busy-replica"), config.leaseTtl()))
        .isPresent();

    assertThat(dueNow())
        .contains(accessExpiring, refreshExpiring, old)
        .doesNotContain(fresh, nearlyOld, leased);

    assertThat(scheduler.runOnce()).isEqualTo(Map.of(RefreshResult.Outcome.REFRESHED, 3));
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(3);
    for (UUID id : List.of(accessExpiring, refreshExpiring, old)) {
      ConnectionSnapshot row = fixture.row(id);
      assertThat(row.status()).isEqualTo(ConnectionStatus.ACTIVE);
      assertThat(row.accessTokenExpiresAt()).isAfter(now.plus(Duration.ofDays(29)));
      assertThat(row.refreshTokenExpiresAt()).isAfter(now.plus(Duration.ofDays(59)));
    }
    assertThat(dueNow()).isEmpty();
    assertThat(scheduler.runOnce()).isEmpty();
    assertThat(pinterest.tokenCalls()).isEqualTo(3);
    assertThat(pinterest.invalidGrantRefusals()).isZero();
  }

  @Test
  void answerWithoutANewRefreshTokenKeepsTheOldOneWhichStillWorks() {
    IssuedTokens grant = pinterest.issueGrant("keeps-refresh-token", "boards:read", "pins:read");
    UUID id = fixture.link(grant);
    fixture.accessTokenExpiresAt(id, Instant.now().plus(Duration.ofHours(1)));
    ConnectionSnapshot before = fixture.row(id);
    pinterest.enqueueTokenFaults(
        TokenEndpointFault.respond(
            200,
            "{\"access_token\":\"pina.without-rotation\",\"token_type\":\"bearer\","
                + "\"expires_in\":2592000,\"scope\":\"boards:read pins:read\"}"));

    assertThat(scheduler.runOnce()).isEqualTo(Map.of(RefreshResult.Outcome.REFRESHED, 1));

    ConnectionSnapshot after = fixture.row(id);
    assertThat(fixture.storedAccessToken(id)).isEqualTo("pina.without-rotation");
    assertThat(after.accessTokenExpiresAt()).isAfter(Instant.now().plus(Duration.ofDays(29)));
    assertThat(fixture.storedRefreshToken(id)).isEqualTo(grant.refreshToken());
    assertThat(after.refreshTokenEnc()).isEqualTo(before.refreshTokenEnc());
    assertThat(after.refreshTokenExpiresAt()).isEqualTo(before.refreshTokenExpiresAt());
    assertThat(after.refreshTokenIssuedAt()).isEqualTo(before.refreshTokenIssuedAt());

    // The kept token is the live one: the next refresh spends it and rotates normally.
    fixture.accessTokenExpiresAt(id, Instant.now().plus(Duration.ofHours(1)));
    assertThat(scheduler.runOnce()).isEqualTo(Map.of(RefreshResult.Outcome.REFRESHED, 1));
    RefreshTokenChain chain = pinterest.refreshChain(grant.account().id());
    assertThat(chain.used()).containsExactly(grant.refreshToken());
    assertThat(fixture.storedRefreshToken(id)).isEqualTo(chain.latest().orElseThrow());
    assertThat(pinterest.invalidGrantRefusals()).isZero();
  }

  @Test
  void refreshThatKeptTheRefreshTokenIsNotRepeatedAtEveryRun() {
    Instant now = Instant.now();
    UUID old = link("kept-old");
    fixture.refreshedAt(old, now.minus(config.maxRefreshTokenAge()).minus(Duration.ofDays(1)));
    UUID expiring = link("kept-expiring");
    fixture.refreshTokenExpiresAt(expiring, now.plus(Duration.ofDays(3)));
    String withoutRotation =
        "{\"access_token\":\"pina.kept\",\"token_type\":\"bearer\",\"expires_in\":2592000}";
    pinterest.enqueueTokenFaults(
        TokenEndpointFault.respond(200, withoutRotation),
        TokenEndpointFault.respond(200, withoutRotation));

    assertThat(scheduler.runOnce()).isEqualTo(Map.of(RefreshResult.Outcome.REFRESHED, 2));

    // Refreshing again cannot renew a refresh token this provider keeps: neither is due again.
    assertThat(dueNow()).doesNotContain(old, expiring);
    assertThat(scheduler.runOnce()).isEmpty();
    assertThat(pinterest.tokenCalls()).isEqualTo(2);
  }
}
