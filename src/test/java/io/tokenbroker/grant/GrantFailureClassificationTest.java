package io.tokenbroker.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way a token-endpoint call can fail ends in one classification, over real HTTP against the
 * Pinterest stand-in: permanent refusals end the attempt, everything else is worth retrying.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class GrantFailureClassificationTest {

  @Inject RefreshTokenGrant refreshGrant;
  @Inject ClientCredentialsGrant clientGrant;
  @Inject AuthorizationCodeGrant codeGrant;
  @Inject ProviderCatalog providers;

  private PinterestStandIn pinterest;
  private Provider provider;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    provider = providers.require("pinterest");
  }

  private GrantFailure refreshFailure(String refreshToken) {
    return catchThrowableOfType(
            GrantException.class, () -> refreshGrant.refresh(provider, refreshToken))
        .failure();
  }

  @Test
  void refreshReturnsTheRotatedTokenWithLifetimesAndSpaceSeparatedScopes() {
    IssuedTokens grant = pinterest.issueGrant("parser", "boards:read", "user_accounts:read");
    TokenResponse response = refreshGrant.refresh(provider, grant.refreshToken());
    assertThat(response.refreshToken()).isPresent().get().isNotEqualTo(grant.refreshToken());
    assertThat(response.scopes()).containsExactly("boards:read", "user_accounts:read");
    assertThat(response.accessTokenExpiresAt()).isPresent();
    assertThat(response.refreshTokenExpiresAt()).isPresent();
    assertThat(response.toString()).doesNotContain(response.accessToken());
    // Basic client authentication, as Pinterest requires.
    assertThat(pinterest.tokenRequests().get(0).basicClientId()).isEqualTo(pinterest.clientId());
  }

  @Test
  void reusedRefreshTokenIsAnInvalidGrantWhateverTheStatus() {
    IssuedTokens grant = pinterest.issueGrant("reuser", "boards:read");
    refreshGrant.refresh(provider, grant.refreshToken());
    assertThat(refreshFailure(grant.refreshToken()).kind())
        .isEqualTo(GrantFailure.Kind.INVALID_GRANT);
    pinterest.invalidGrantStatus(401);
    GrantFailure asUnauthorized = refreshFailure(grant.refreshToken());
    assertThat(asUnauthorized.kind()).isEqualTo(GrantFailure.Kind.INVALID_GRANT);
    assertThat(asUnauthorized.httpStatus()).isEqualTo(401);
  }

  @Test
  void wrongClientSecretIsInvalidClient() {
    pinterest.acceptClientSecrets("a-rotated-secret-the-broker-does-not-know");
    GrantFailure failure =
        catchThrowableOfType(
                GrantException.class, () -> clientGrant.request(provider, Set.of("pins:read")))
            .failure();
    assertThat(failure.kind()).isEqualTo(GrantFailure.Kind.INVALID_CLIENT);
    assertThat(failure.kind().isTransient()).isFalse();
  }

  @Test
  void serverErrorsAndRateLimitsAreTransientAndCarryRetryAfter() {
    IssuedTokens grant = pinterest.issueGrant("limited", "boards:read");
    pinterest.enqueueTokenFaults(
        TokenEndpointFault.serviceUnavailable(),
        TokenEndpointFault.respond(502, "{\"code\":1,\"message\":\"bad gateway\"}"),
        TokenEndpointFault.rateLimited(42));
    assertThat(refreshFailure(grant.refreshToken()).kind()).isEqualTo(GrantFailure.Kind.TRANSIENT);
    assertThat(refreshFailure(grant.refreshToken()).httpStatus()).isEqualTo(502);
    GrantFailure limited = refreshFailure(grant.refreshToken());
    assertThat(limited.kind()).isEqualTo(GrantFailure.Kind.TRANSIENT);
    assertThat(limited.retryAfter()).contains(Duration.ofSeconds(42));
    // None of these spent the refresh token.
    assertThat(refreshGrant.refresh(provider, grant.refreshToken()).refreshToken()).isPresent();
  }

  @Test
  void droppedConnectionsAndTruncatedBodiesAreTransient() {
    IssuedTokens grant = pinterest.issueGrant("cut", "boards:read");
    pinterest.enqueueTokenFaults(
        TokenEndpointFault.dropConnection(),
        TokenEndpointFault.truncatedBody(200, "{\"access_token\":\"pina.abc"));
    assertThat(refreshFailure(grant.refreshToken()).kind()).isEqualTo(GrantFailure.Kind.TRANSIENT);
    // A body cut short is no verdict: retried like a transient failure, counted apart.
    GrantFailure truncated = refreshFailure(grant.refreshToken());
    assertThat(truncated.kind()).isEqualTo(GrantFailure.Kind.PROVIDER_MISBEHAVING);
    assertThat(truncated.kind().isTransient()).isTrue();
  }

  @Test
  void refusedConnectionIsTransient() {
    IssuedTokens grant = pinterest.issueGrant("offline", "boards:read");
    pinterest.stop();
    try {
      GrantFailure failure = refreshFailure(grant.refreshToken());
      assertThat(failure.kind()).isEqualTo(GrantFailure.Kind.TRANSIENT);
      assertThat(failure.httpStatus()).isZero();
    } finally {
      pinterest.start();
    }
  }

  @Test
  void codeExchangeWithAnUnknownCodeIsAnInvalidGrant() {
    GrantFailure failure =
        catchThrowableOfType(
                GrantException.class,
                () ->
                    codeGrant.exchange(
                        provider,
                        "not-a-code",
                        provider.redirectUri().orElseThrow().toString(),
                        java.util.Optional.empty()))
            .failure();
    assertThat(failure.kind()).isEqualTo(GrantFailure.Kind.INVALID_GRANT);
  }

  @Test
  void refreshAnswersThatAreNoVerdictAreProviderMisbehavingAndSpendNothing() {
    IssuedTokens grant = pinterest.issueGrant("edge-refresh", "boards:read");
    for (TokenEndpointFault fault : TokenEndpointFault.noVerdictAnswers()) {
      pinterest.enqueueTokenFaults(fault);
      GrantFailure failure = refreshFailure(grant.refreshToken());
      assertThat(failure.kind())
          .as(fault.toString())
          .isEqualTo(GrantFailure.Kind.PROVIDER_MISBEHAVING);
      assertThat(failure.kind().isTransient()).isTrue();
    }
    // The upstream is healthy again: the same refresh token still works, once.
    assertThat(refreshGrant.refresh(provider, grant.refreshToken()).refreshToken()).isPresent();
    assertThat(pinterest.refreshChain(grant.account().id()).eachPresentedAtMostOnce()).isTrue();
  }

  @Test
  void codeAnswersThatAreNoVerdictAreProviderMisbehavingAndTheCodeStillWorks() {
    String redirect = provider.redirectUri().orElseThrow().toString();
    String code = pinterest.issueCode("edge-code", redirect, "boards:read");
    for (TokenEndpointFault fault : TokenEndpointFault.noVerdictAnswers()) {
      pinterest.enqueueTokenFaults(fault);
      GrantFailure failure =
          catchThrowableOfType(
                  GrantException.class,
                  () -> codeGrant.exchange(provider, code, redirect, java.util.Optional.empty()))
              .failure();
      assertThat(failure.kind())
          .as(fault.toString())
          .isEqualTo(GrantFailure.Kind.PROVIDER_MISBEHAVING);
    }
    TokenResponse linked = codeGrant.exchange(provider, code, redirect, java.util.Optional.empty());
    assertThat(linked.refreshToken()).isPresent();
  }

  @Test
  void onlyAnExplicitVerdictKillsAGrant() {
    IssuedTokens grant = pinterest.issueGrant("verdicts", "boards:read");
    pinterest.enqueueTokenFaults(
        TokenEndpointFault.respond(
            400, "{\"error\":\"invalid_grant\",\"error_description\":\"revoked\"}"),
        TokenEndpointFault.respond(
            401, "{\"code\":283,\"message\":\"The authorization grant is invalid\"}"),
        TokenEndpointFault.respond(400, "{\"code\":1,\"message\":\"Invalid parameters.\"}"));
    assertThat(refreshFailure(grant.refreshToken()).kind())
        .isEqualTo(GrantFailure.Kind.INVALID_GRANT);
    assertThat(refreshFailure(grant.refreshToken()).kind())
        .isEqualTo(GrantFailure.Kind.INVALID_GRANT);
    // Another Pinterest error refuses the request, not the grant.
    assertThat(refreshFailure(grant.refreshToken()).kind()).isEqualTo(GrantFailure.Kind.REJECTED);
  }
}
