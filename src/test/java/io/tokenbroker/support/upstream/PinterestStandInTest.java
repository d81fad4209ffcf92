package io.tokenbroker.support.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenbroker.support.Poll;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Pinterest stand-in enforces each of Pinterest's rules, over real HTTP. */
class PinterestStandInTest {

  private static final String CALLBACK = "http://localhost:8089/v1/oauth/callback";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PinterestStandIn PINTEREST = new PinterestStandIn();
  private static HttpClient http;

  @BeforeAll
  static void startStandIn() {
    PINTEREST.registerRedirectUri(CALLBACK);
    PINTEREST.start();
    http = newClient();
  }

  @AfterAll
  static void stopStandIn() {
    PINTEREST.close();
  }

  @BeforeEach
  void forgetPreviousTest() {
    PINTEREST.reset();
  }

  @Nested
  class AuthorizationEndpoint {

    @Test
    void consentRedirectsToTheRegisteredUriWithCodeAndEchoedState() throws Exception {
      HttpResponse<String> response = authorize(validAuthorizeParams());

      assertThat(response.statusCode()).isEqualTo(302);
      Map<String, String> query = redirectQuery(response);
      assertThat(location(response)).startsWith(CALLBACK + "?");
      assertThat(query.get("code")).matches("[0-9a-f]{40}");
      assertThat(query.get("state")).isEqualTo("st-123");
      assertThat(PINTEREST.authorizeRequests())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.outcome()).isEqualTo("consented");
                assertThat(r.parameter("scope")).isEqualTo("boards:read,user_accounts:read");
              });
    }

    @Test
    void unknownClientIdGetsAnErrorPageAndNoRedirect() throws Exception {
      Map<String, String> params = validAuthorizeParams();
      params.put("client_id", "999");

      HttpResponse<String> response = authorize(params);

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.headers().firstValue("Location")).isEmpty();
      assertThat(response.body()).contains("unknown client_id");
    }

    @Test
    void redirectUriMustMatchARegisteredOneExactly() throws Exception {
      for (String near :
          List.of(
              CALLBACK + "/",
              CALLBACK + "?x=1",
              "http://localhost:8090/v1/oauth/callback",
              "http://127.0.0.1:8089/v1/oauth/callback",
              "https://localhost:8089/v1/oauth/callback")) {
        Map<String, String> params = validAuthorizeParams();
        params.put("redirect_uri", near);

        HttpResponse<String> response = authorize(params);

        assertThat(response.statusCode()).as(near).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).as(near).isEmpty();
      }
      Map<String, String> missing = validAuthorizeParams();
      missing.remove("redirect_uri");
      assertThat(authorize(missing).statusCode()).isEqualTo(400);
    }

    @Test
    void loopbackRedirectPathAcceptsAnyLocalPortButNothingElse() throws Exception {
      PINTEREST.registerLoopbackRedirectPath("/v1/oauth/late");
      for (String ok :
          List.of("http://localhost:41234/v1/oauth/late", "http://127.0.0.1:5/v1/oauth/late")) {
        Map<String, String> params = validAuthorizeParams();
        params.put("redirect_uri", ok);
        assertThat(authorize(params).statusCode()).as(ok).isEqualTo(302);
      }
      for (String bad :
          List.of(
              "http://example.com:41234/v1/oauth/late",
              "https://localhost:41234/v1/oauth/late",
              "http://localhost:41234/v1/oauth/late?x=1",
              "http://localhost:41234/v1/oauth/other")) {
        Map<String, String> params = validAuthorizeParams();
        params.put("redirect_uri", bad);
        assertThat(authorize(params).statusCode()).as(bad).isEqualTo(400);
      }
    }

    @Test
    void responseTypeOtherThanCodeIsSentBackAsUnsupportedResponseType() throws Exception {
      Map<String, String> params = validAuthorizeParams();
      params.put("response_type", "token");

      HttpResponse<String> response = authorize(params);

      assertThat(response.statusCode()).isEqualTo(302);
      assertThat(redirectQuery(response))
          .containsEntry("error", "unsupported_response_type")
          .containsEntry("state", "st-123")
          .doesNotContainKey("code");
    }

    @Test
    void spaceSeparatedUnknownOrMissingScopeIsSentBackAsInvalidScope() throws Exception {
      for (String scope :
          List.of(
              "boards:read user_accounts:read", "boards:read,read_public", "", "boards:read,")) {
        Map<String, String> params = validAuthorizeParams();
        params.put("scope", scope);

        HttpResponse<String> response = authorize(params);

        assertThat(response.statusCode()).as(scope).isEqualTo(302);
        assertThat(redirectQuery(response)).as(scope).containsEntry("error", "invalid_scope");
      }
    }

    @Test
    void everyOneOfTheNineteenScopesIsAccepted() throws Exception {
      Map<String, String> params = validAuthorizeParams();
      params.put("scope", String.join(",", PinterestScopes.ALL));

      assertThat(PinterestScopes.ALL).hasSize(19);
      assertThat(redirectQuery(authorize(params))).containsKey("code");
    }

    @Test
    void deniedConsentRedirectsWithAccessDeniedAndState() throws Exception {
      PINTEREST.denyConsent(true);

      HttpResponse<String> response = authorize(validAuthorizeParams());

      assertThat(response.statusCode()).isEqualTo(302);
      assertThat(redirectQuery(response))
          .containsEntry("error", "access_denied")
          .containsEntry("state", "st-123")
          .doesNotContainKey("code");
    }

    @Test
    void pkceParametersAreIgnoredButRecorded() throws Exception {
      authorize(validAuthorizeParams());
      Map<String, String> withPkce = validAuthorizeParams();
      withPkce.put("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
      withPkce.put("code_challenge_method", "S256");
      String code = redirectQuery(authorize(withPkce)).get("code");

      assertThat(PINTEREST.authorizeRequests())
          .extracting(AuthorizeRequest::pkceParametersSent)
          .containsExactly(false, true);
      assertThat(exchangeCode(code).statusCode()).isEqualTo(200);
    }
  }

  @Nested
  class CodeExchange {

    @Test
    void answerIsPinterestShaped() throws Exception {
      Instant before = Instant.now();
      HttpResponse<String> response = exchangeCode(newCode());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode body = json(response);
      assertThat(body.get("access_token").asText()).startsWith("pina.");
      assertThat(body.get("refresh_token").asText()).startsWith("pinr.");
      assertThat(body.get("response_type").asText()).isEqualTo("authorization_code");
      assertThat(body.get("token_type").asText()).isEqualTo("bearer");
      assertThat(body.get("expires_in").asLong()).isEqualTo(2_592_000L);
      assertThat(body.get("refresh_token_expires_in").asLong()).isEqualTo(5_184_000L);
      assertThat(body.get("refresh_token_expires_at").asLong())
          .isBetween(
              before.getEpochSecond() + 5_184_000L, Instant.now().getEpochSecond() + 5_184_000L);
      assertThat(body.get("scope").asText()).isEqualTo("boards:read user_accounts:read");
    }

    @Test
    void accessTokenLifetimeIsConfigurable() throws Exception {
      PINTEREST.accessTokenLifetime(Duration.ofSeconds(60));

      assertThat(json(exchangeCode(newCode())).get("expires_in").asLong()).isEqualTo(60);
    }

    @Test
    void codeIsSingleUse() throws Exception {
      String code = newCode();
      assertThat(exchangeCode(code).statusCode()).isEqualTo(200);

      HttpResponse<String> replay = exchangeCode(code);

      assertInvalidGrant(replay, 400);
      assertThat(PINTEREST.invalidGrantRefusals()).isEqualTo(1);
    }

    @Test
    void codeExpires() throws Exception {
      String code = newCode();
      PINTEREST.advanceClock(Duration.ofMinutes(11));

      assertInvalidGrant(exchangeCode(code), 400);
    }

    @Test
    void redirectUriMustEqualTheAuthorizationRequests() throws Exception {
      HttpResponse<String> response =
          token(
              basic(),
              form(
                  "grant_type", "authorization_code",
                  "code", newCode(),
                  "redirect_uri", "http://localhost:8089/v1/oauth/other"));

      assertInvalidGrant(response, 400);
      Map<String, String> missing = new LinkedHashMap<>();
      missing.put("grant_type", "authorization_code");
      missing.put("code", newCode());
      assertPinterestError(token(basic(), encode(missing)), 400, 1);
    }

    @Test
    void continuousRefreshFlagIsAcceptedAndRecorded() throws Exception {
      HttpResponse<String> response =
          token(
              basic(),
              form(
                  "grant_type",
                  "authorization_code",
                  "code",
                  newCode(),
                  "redirect_uri",
                  CALLBACK,
                  "continuous_refresh",
                  "true"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(PINTEREST.tokenRequests())
          .singleElement()
          .satisfies(r -> assertThat(r.continuousRefreshRequested()).isTrue());
    }

    @Test
    void invalidGrantStatusCanBeSwitchedToTheReported401() throws Exception {
      PINTEREST.invalidGrantStatus(401);

      assertInvalidGrant(exchangeCode("no-such-code"), 401);
    }
  }

  @Nested
  class ClientAuthentication {

    @Test
    void missingOrWrongBasicAuthIsRefusedAsAuthenticationFailed() throws Exception {
      String body =
          form("grant_type", "authorization_code", "code", newCode(), "redirect_uri", CALLBACK);
      for (String authorization :
          List.of(
              "",
              basicOf(PinterestStandIn.DEFAULT_CLIENT_ID, "wrong"),
              basicOf("999", PinterestStandIn.DEFAULT_CLIENT_SECRET),
              "Bearer " + PinterestStandIn.DEFAULT_CLIENT_SECRET,
              "Basic !!!")) {
        assertPinterestError(token(authorization, body), 401, 2);
      }
      String inBody =
          body
              + "&"
              + form(
                  "client_id",
                  PinterestStandIn.DEFAULT_CLIENT_ID,
                  "client_secret",
                  PinterestStandIn.DEFAULT_CLIENT_SECRET);
      assertPinterestError(token("", inBody), 401, 2);
    }

    @Test
    void rotatedSecretSetIsHonoured() throws Exception {
      PINTEREST.acceptClientSecrets("new-secret", "newer-secret");

      assertPinterestError(exchangeCode(newCode()), 401, 2);
      assertThat(
              token(
                      basicOf(PinterestStandIn.DEFAULT_CLIENT_ID, "newer-secret"),
                      form(
                          "grant_type",
                          "authorization_code",
                          "code",
                          newCode(),
                          "redirect_uri",
                          CALLBACK))
                  .statusCode())
          .isEqualTo(200);
    }

    @Test
    void onlyFormEncodedBodiesAreAccepted() throws Exception {
      HttpRequest asJson =
          HttpRequest.newBuilder(URI.create(PINTEREST.tokenEndpoint()))
              .header("Authorization", basic())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\"}"))
              .build();

      assertPinterestError(http.send(asJson, HttpResponse.BodyHandlers.ofString()), 400, 1);
    }

    @Test
    void unsupportedGrantTypeAndDuplicatedParametersAreInvalidParameters() throws Exception {
      assertPinterestError(token(basic(), form("grant_type", "password")), 400, 1);
      assertPinterestError(
          token(basic(), "grant_type=client_credentials&scope=ads:read&scope=ads:read"), 400, 1);
    }
  }

  @Nested
  class Refresh {

    @Test
    void everyRefreshRotatesAndTheOldRefreshTokenIsRefused() throws Exception {
      JsonNode first = json(exchangeCode(newCode()));
      String rt1 = first.get("refresh_token").asText();

      HttpResponse<String> refreshed = refresh(rt1);
      JsonNode second = json(refreshed);
      String rt2 = second.get("refresh_token").asText();

      assertThat(refreshed.statusCode()).isEqualTo(200);
      assertThat(second.get("response_type").asText()).isEqualTo("refresh_token");
      assertThat(second.get("access_token").asText())
          .startsWith("pina.")
          .isNotEqualTo(first.get("access_token").asText());
      assertThat(rt2).startsWith("pinr.").isNotEqualTo(rt1);
      assertThat(second.get("refresh_token_expires_in").asLong()).isEqualTo(5_184_000L);
      assertInvalidGrant(refresh(rt1), 400);
      assertThat(refresh(rt2).statusCode()).isEqualTo(200);

      RefreshTokenChain chain = PINTEREST.refreshChain(PINTEREST.signedInAccount().id());
      assertThat(chain.issued()).hasSize(3).startsWith(rt1, rt2);
      assertThat(chain.used()).containsExactly(rt1, rt2);
      assertThat(chain.eachPresentedAtMostOnce()).isFalse();
      assertThat(chain.refusedPresentations()).isEqualTo(1);
      assertThat(PINTEREST.invalidGrantRefusals()).isEqualTo(1);
      assertThat(chain.latest()).hasValue(chain.issued().get(2));
    }

    @Test
    void unknownRefreshTokenIsAnInvalidGrant() throws Exception {
      assertInvalidGrant(refresh("pinr.not-issued"), 400);
      assertPinterestError(token(basic(), form("grant_type", "refresh_token")), 400, 1);
    }

    @Test
    void refreshTokenExpiresAfterSixtyDays() throws Exception {
      String rt = json(exchangeCode(newCode())).get("refresh_token").asText();
      PINTEREST.advanceClock(Duration.ofDays(60));

      assertInvalidGrant(refresh(rt), 400);
    }

    @Test
    void scopeParameterNarrowsTheNewAccessTokenOnly() throws Exception {
      String rt1 = json(exchangeCode(newCode())).get("refresh_token").asText();

      JsonNode narrowed =
          json(
              token(
                  basic(),
                  form(
                      "grant_type",
                      "refresh_token",
                      "refresh_token",
                      rt1,
                      "scope",
                      "boards:read")));
      assertThat(narrowed.get("scope").asText()).isEqualTo("boards:read");

      JsonNode full = json(refresh(narrowed.get("refresh_token").asText()));
      assertThat(full.get("scope").asText()).isEqualTo("boards:read user_accounts:read");
    }

    @Test
    void scopeBeyondTheGrantIsRefusedWithoutConsumingTheToken() throws Exception {
      String rt = json(exchangeCode(newCode())).get("refresh_token").asText();

      assertPinterestError(
          token(
              basic(),
              form("grant_type", "refresh_token", "refresh_token", rt, "scope", "pins:write")),
          400,
          1);
      assertThat(refresh(rt).statusCode()).isEqualTo(200);
    }

    @Test
    void killedGrantRefusesEveryRefreshTokenAndAccessToken() throws Exception {
      JsonNode tokens = json(exchangeCode(newCode()));
      String accountId = PINTEREST.signedInAccount().id();

      PINTEREST.killGrant(accountId);

      assertInvalidGrant(refresh(tokens.get("refresh_token").asText()), 400);
      assertPinterestError(userAccount(tokens.get("access_token").asText()), 401, 2);
      assertThat(exchangeCode(newCode()).statusCode()).as("a new consent works").isEqualTo(200);
    }

    @Test
    void concurrentRefreshesWithOneTokenSucceedExactlyOnce() throws Exception {
      String rt = json(exchangeCode(newCode())).get("refresh_token").asText();
      int racers = 8;
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(racers);
      try {
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
          statuses.add(
              pool.submit(
                  () -> {
                    go.await();
                    return refresh(rt).statusCode();
                  }));
        }
        go.countDown();
        List<Integer> results = new ArrayList<>();
        for (Future<Integer> status : statuses) {
          results.add(status.get(10, TimeUnit.SECONDS));
        }

        assertThat(results).containsOnlyOnce(200);
        assertThat(results).filteredOn(s -> s == 400).hasSize(racers - 1);
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void issuedGrantIsHonouredLikeALinkedOne() throws Exception {
      IssuedTokens issued = PINTEREST.issueGrant("seeded", "pins:read", "user_accounts:read");

      assertThat(json(userAccount(issued.accessToken())).get("username").asText())
          .isEqualTo("seeded");
      assertThat(refresh(issued.refreshToken()).statusCode()).isEqualTo(200);
      assertThat(issued.toString()).doesNotContain(issued.refreshToken());
    }
  }

  @Nested
  class ClientCredentials {

    @Test
    void scopeIsRequiredAndNoRefreshTokenIsIssued() throws Exception {
      assertPinterestError(token(basic(), form("grant_type", "client_credentials")), 400, 1);
      assertPinterestError(
          token(basic(), form("grant_type", "client_credentials", "scope", "ads:fly")), 400, 1);

      JsonNode body =
          json(token(basic(), form("grant_type", "client_credentials", "scope", "ads:read")));

      assertThat(body.get("access_token").asText()).startsWith("pina.");
      assertThat(body.has("refresh_token")).isFalse();
      assertThat(body.get("response_type").asText()).isEqualTo("client_credentials");
      assertThat(body.get("scope").asText()).isEqualTo("ads:read");
      assertThat(PINTEREST.tokenCalls("client_credentials")).isEqualTo(3);
    }
  }

  @Nested
  class UserAccount {

    @Test
    void liveTokenWithUserAccountsReadGetsTheAccount() throws Exception {
      PinterestAccount alice = PINTEREST.signInAs("alice");
      String accessToken = json(exchangeCode(newCode())).get("access_token").asText();

      HttpResponse<String> response = userAccount(accessToken);

      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode body = json(response);
      assertThat(body.get("id").asText()).isEqualTo(alice.id()).matches("\\d{19}");
      assertThat(body.get("username").asText()).isEqualTo("alice");
      assertThat(body.get("account_type").asText()).isEqualTo("BUSINESS");
      assertThat(response.headers().firstValue("x-pinterest-rid")).isPresent();
    }

    @Test
    void unknownMissingOrExpiredTokenIsAuthenticationFailed() throws Exception {
      PINTEREST.accessTokenLifetime(Duration.ofSeconds(60));
      String accessToken = json(exchangeCode(newCode())).get("access_token").asText();

      assertPinterestError(userAccount("pina.unknown"), 401, 2);
      HttpRequest anonymous =
          HttpRequest.newBuilder(URI.create(PINTEREST.accountEndpoint())).build();
      assertPinterestError(http.send(anonymous, HttpResponse.BodyHandlers.ofString()), 401, 2);

      PINTEREST.advanceClock(Duration.ofSeconds(61));
      assertThat(PINTEREST.isAccessTokenLive(accessToken)).isFalse();
      assertPinterestError(userAccount(accessToken), 401, 2);
    }

    @Test
    void tokenWithoutUserAccountsReadIsInsufficientScope() throws Exception {
      IssuedTokens issued = PINTEREST.issueGrant("bob", "boards:read");

      assertPinterestError(userAccount(issued.accessToken()), 401, 3);
    }
  }

  @Nested
  class Revocation {

    @Test
    void revokedTokensStopWorking() throws Exception {
      JsonNode tokens = json(exchangeCode(newCode()));
      String accessToken = tokens.get("access_token").asText();
      String refreshToken = tokens.get("refresh_token").asText();

      HttpResponse<String> revokeAccess =
          revoke(basic(), form("token", accessToken, "token_type_hint", "access_token"));
      HttpResponse<String> revokeRefresh = revoke(basic(), form("token", refreshToken));

      assertThat(revokeAccess.statusCode()).isEqualTo(200);
      assertThat(revokeAccess.body()).isEmpty();
      assertThat(revokeRefresh.statusCode()).isEqualTo(200);
      assertPinterestError(userAccount(accessToken), 401, 2);
      assertInvalidGrant(refresh(refreshToken), 400);
      assertThat(PINTEREST.revocationCalls()).isEqualTo(2);
    }

    @Test
    void revocationNeedsClientAuthenticationAndAToken() throws Exception {
      assertPinterestError(revoke("", form("token", "pina.x")), 401, 2);
      assertPinterestError(revoke(basic(), form("token_type_hint", "access_token")), 400, 1);
    }

    @Test
    void revocationCanBeRefusedAsPinterestDoesForUserTokens() throws Exception {
      String accessToken = json(exchangeCode(newCode())).get("access_token").asText();
      PINTEREST.refuseRevocation(true);

      assertPinterestError(revoke(basic(), form("token", accessToken)), 403, 29);
      assertThat(PINTEREST.isAccessTokenLive(accessToken)).isTrue();
    }
  }

  @Nested
  class Faults {

    @Test
    void queuedFaultsAnswerInOrderWithHeadersAndLeaveTheGrantUnused() throws Exception {
      String rt = json(exchangeCode(newCode())).get("refresh_token").asText();
      PINTEREST.enqueueTokenFaults(
          TokenEndpointFault.rateLimited(7), TokenEndpointFault.serviceUnavailable());

      HttpResponse<String> first = refresh(rt);
      HttpResponse<String> second = refresh(rt);
      HttpResponse<String> third = refresh(rt);

      assertThat(first.statusCode()).isEqualTo(429);
      assertThat(first.headers().firstValue("Retry-After")).hasValue("7");
      assertThat(json(first).get("code").asInt()).isEqualTo(8);
      assertThat(second.statusCode()).isEqualTo(503);
      assertThat(second.headers().firstValue("Content-Type")).hasValue("text/html");
      assertThat(third.statusCode()).isEqualTo(200);
      assertThat(PINTEREST.pendingTokenFaults()).isZero();
      assertThat(PINTEREST.tokenCalls("refresh_token")).isEqualTo(3);
      assertThat(PINTEREST.tokenCalls("authorization_code")).isEqualTo(1);
      assertThat(PINTEREST.tokenCalls()).isEqualTo(4);
    }

    @Test
    void droppedConnectionFailsTheClientRequest() {
      PINTEREST.enqueueTokenFaults(TokenEndpointFault.dropConnection());

      assertThatThrownBy(() -> refresh("pinr.any")).isInstanceOf(IOException.class);
      assertThat(PINTEREST.tokenRequests())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.status()).isZero();
              });
    }

    @Test
    void truncatedBodyFailsTheClientRequest() {
      PINTEREST.enqueueTokenFaults(
          TokenEndpointFault.truncatedBody(200, "{\"access_token\":\"pina.truncated-answer\"}"));

      assertThatThrownBy(() -> refresh("pinr.any")).isInstanceOf(IOException.class);
    }

    @Test
    void faultAfterProcessingRotatesUpstreamButTheClientNeverSeesTheNewToken() throws Exception {
      String rt1 = json(exchangeCode(newCode())).get("refresh_token").asText();
      PINTEREST.enqueueTokenFaults(TokenEndpointFault.dropConnection().afterProcessing());

      assertThatThrownBy(() -> refresh(rt1)).isInstanceOf(IOException.class);
      assertInvalidGrant(refresh(rt1), 400);

      RefreshTokenChain chain = PINTEREST.refreshChain(PINTEREST.signedInAccount().id());
      assertThat(chain.used()).containsExactly(rt1);
      assertThat(chain.issued()).hasSize(2);
    }

    @Test
    void heldAnswerWaitsForItsLatch() throws Exception {
      CountDownLatch release = new CountDownLatch(1);
      PINTEREST.enqueueTokenFaults(
          TokenEndpointFault.respond(500, "{\"code\":0,\"message\":\"held\"}").heldUntil(release));

      CompletableFuture<HttpResponse<String>> inFlight =
          http.sendAsync(
              tokenRequest(basic(), form("grant_type", "refresh_token", "refresh_token", "x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(PINTEREST.awaitTokenCalls(1, Duration.ofSeconds(5))).isTrue();
      assertThat(inFlight).isNotDone();
      release.countDown();
      assertThat(inFlight.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
    }

    @Test
    void realAnswerHeldRotatesAtOnceAndAnswersWhenReleased() throws Exception {
      String rt1 = json(exchangeCode(newCode())).get("refresh_token").asText();
      CountDownLatch release = new CountDownLatch(1);
      PINTEREST.enqueueTokenFaults(TokenEndpointFault.realAnswer().heldUntil(release));

      CompletableFuture<HttpResponse<String>> inFlight =
          http.sendAsync(
              tokenRequest(basic(), form("grant_type", "refresh_token", "refresh_token", rt1))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      String account = PINTEREST.signedInAccount().id();
      Poll.until(
          "the held refresh is applied",
          Duration.ofSeconds(5),
          () -> PINTEREST.refreshChain(account).used().contains(rt1));
      RefreshTokenChain whileHeld = PINTEREST.refreshChain(account);
      assertThat(whileHeld.issued()).hasSize(2);
      assertThat(inFlight).isNotDone();
      release.countDown();
      HttpResponse<String> answer = inFlight.get(5, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(json(answer).get("refresh_token").asText())
          .isEqualTo(whileHeld.latest().orElseThrow());
    }

    @Test
    void slowModeOutlastsAShortClientTimeout() {
      PINTEREST.slowMode(Duration.ofMillis(600));
      HttpRequest request =
          tokenRequest(basic(), form("grant_type", "client_credentials", "scope", "ads:read"))
              .timeout(Duration.ofMillis(100))
              .build();

      assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void delayedFaultOutlastsAShortClientTimeout() {
      PINTEREST.enqueueTokenFaults(
          TokenEndpointFault.respond(200, "{}").withDelay(Duration.ofMillis(600)));
      HttpRequest request =
          tokenRequest(basic(), form("grant_type", "client_credentials", "scope", "ads:read"))
              .timeout(Duration.ofMillis(100))
              .build();

      assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(HttpTimeoutException.class);
    }
  }

  @Nested
  class Lifecycle {

    @Test
    void stoppedStandInRefusesConnectionsAndRestartsOnTheSamePortWithItsTokens() throws Exception {
      IssuedTokens issued = PINTEREST.issueGrant("carol", "user_accounts:read");
      int port = PINTEREST.port();

      PINTEREST.stop();
      assertThat(PINTEREST.isRunning()).isFalse();
      assertThatThrownBy(
              () ->
                  newClient()
                      .send(
                          userAccountRequest(issued.accessToken()),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(ConnectException.class);

      PINTEREST.start();
      assertThat(PINTEREST.port()).isEqualTo(port);
      HttpResponse<String> after =
          newClient()
              .send(userAccountRequest(issued.accessToken()), HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode()).isEqualTo(200);

      PINTEREST.restart();
      assertThat(PINTEREST.port()).isEqualTo(port);
      assertThat(PINTEREST.isRunning()).isTrue();
    }

    @Test
    void resetForgetsTokensAndSwitchesButKeepsRegistrations() throws Exception {
      IssuedTokens issued = PINTEREST.issueGrant("dave", "user_accounts:read");
      PINTEREST.denyConsent(true);
      PINTEREST.enqueueTokenFaults(TokenEndpointFault.dropConnection());

      PINTEREST.reset();

      assertThat(PINTEREST.isAccessTokenLive(issued.accessToken())).isFalse();
      assertThat(PINTEREST.pendingTokenFaults()).isZero();
      assertThat(PINTEREST.redirectUris()).contains(CALLBACK);
      assertThat(redirectQuery(authorize(validAuthorizeParams()))).containsKey("code");
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private static HttpClient newClient() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static Map<String, String> validAuthorizeParams() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("client_id", PinterestStandIn.DEFAULT_CLIENT_ID);
    params.put("redirect_uri", CALLBACK);
    params.put("response_type", "code");
    params.put("scope", "boards:read,user_accounts:read");
    params.put("state", "st-123");
    return params;
  }

  private static HttpResponse<String> authorize(Map<String, String> params) throws Exception {
    URI uri = URI.create(PINTEREST.authorizationEndpoint() + "?" + encode(params));
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String newCode() throws Exception {
    return redirectQuery(authorize(validAuthorizeParams())).get("code");
  }

  private static HttpResponse<String> exchangeCode(String code) throws Exception {
    return token(
        basic(), form("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK));
  }

  private static HttpResponse<String> refresh(String refreshToken) throws Exception {
    return token(basic(), form("grant_type", "refresh_token", "refresh_token", refreshToken));
  }

  private static HttpRequest.Builder tokenRequest(String authorization, String body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(PINTEREST.tokenEndpoint()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (!authorization.isEmpty()) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private static HttpResponse<String> token(String authorization, String body) throws Exception {
    return http.send(
        tokenRequest(authorization, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> revoke(String authorization, String body) throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(PINTEREST.revocationEndpoint()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (!authorization.isEmpty()) {
      builder.header("Authorization", authorization);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest userAccountRequest(String accessToken) {
    return HttpRequest.newBuilder(URI.create(PINTEREST.accountEndpoint()))
        .header("Authorization", "Bearer " + accessToken)
        .build();
  }

  private static HttpResponse<String> userAccount(String accessToken) throws Exception {
    return http.send(userAccountRequest(accessToken), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic() {
    return basicOf(PinterestStandIn.DEFAULT_CLIENT_ID, PinterestStandIn.DEFAULT_CLIENT_SECRET);
  }

  private static String basicOf(String id, String secret) {
    return "Basic "
        + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  private static String form(String... nameValues) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      params.put(nameValues[i], nameValues[i + 1]);
    }
    return encode(params);
  }

  private static String encode(Map<String, String> params) {
    StringBuilder out = new StringBuilder();
    params.forEach(
        (name, value) -> {
          if (out.length() > 0) {
            out.append('&');
          }
          out.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
    return out.toString();
  }

  private static String location(HttpResponse<?> response) {
    return response.headers().firstValue("Location").orElseThrow();
  }

  private static Map<String, String> redirectQuery(HttpResponse<?> response) {
    return Exchanges.parseUrlEncoded(URI.create(location(response)).getRawQuery());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private static void assertPinterestError(HttpResponse<String> response, int status, int code)
      throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = json(response);
    assertThat(body.get("code").asInt()).as(response.body()).isEqualTo(code);
    assertThat(body.get("message").asText()).isNotBlank();
  }

  private static void assertInvalidGrant(HttpResponse<String> response, int status)
      throws IOException {
    assertPinterestError(response, status, 283);
    assertThat(json(response).get("message").asText())
        .isEqualTo("The authorization grant is invalid");
  }
}
