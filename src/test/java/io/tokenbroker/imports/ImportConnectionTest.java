package io.tokenbroker.imports;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionStore;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.LogCapture;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.RefreshTokenChain;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/connections/import} over real HTTP against the Pinterest stand-in: a good token
 * becomes a connection holding a rotation only the broker knows, a refused or unlucky one stores
 * nothing, an account that is linked already is updated, and the refresh token is never echoed in
 * an answer, a log line or an audit row.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class ImportConnectionTest {

  private static final String CALLER = "svc-imported";

  @Inject ConnectionStore store;

  private PinterestStandIn pinterest;
  private LogCapture logs;
  private Instant started;
  private final List<String> answers = new ArrayList<>();
  private final List<String> secrets = new ArrayList<>();

  @BeforeEach
  void setUp() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    started = Instant.now();
    logs = LogCapture.onRootLogger();
  }

  @AfterEach
  void noRefreshTokenWasEchoed() {
    logs.close();
    List<String> audit =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    AuditEvent.<AuditEvent>find("occurredAt >= ?1", started).list().stream()
                        .map(e -> e.actor + e.action + e.outcome + e.detail)
                        .toList());
    for (String secret : secrets) {
      assertThat(answers).noneMatch(a -> a.contains(secret));
      assertThat(logs.lines()).noneMatch(line -> line.text().contains(secret));
      assertThat(audit).noneMatch(row -> row.contains(secret));
    }
  }

  private IssuedTokens grant(String prefix) {
    IssuedTokens grant =
        pinterest.issueGrant(
            prefix + "-" + UUID.randomUUID(), "boards:read", "pins:read", "user_accounts:read");
    secrets.add(grant.refreshToken());
    return grant;
  }

  private Response importing(String refreshToken, String callers, String extra) {
    Response answer =
        given()
            .auth()
            .oauth2(CallerTokens.admin())
            .contentType("application/json")
            .body(
                "{\"provider\":\"pinterest\",\"refresh_token\":\""
                    + refreshToken
                    + "\",\"allowed_callers\":"
                    + callers
                    + extra
                    + "}")
            .post("/v1/connections/import");
    answers.add(answer.headers().toString() + answer.body().asString());
    return answer;
  }

  private static Optional<Connection> connectionOf(IssuedTokens grant) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                Connection.<Connection>find("accountId", grant.account().id())
                    .firstResultOptional());
  }

  private String storedRefreshToken(UUID id) {
    Connection c = QuarkusTransaction.requiringNew().call(() -> Connection.findById(id));
    return store.openRefreshToken(id, c.refreshTokenEnc);
  }

  @Test
  void importOfAGoodTokenCreatesTheConnectionWithARotationOnlyTheBrokerKnows() {
    IssuedTokens grant = grant("import-good");

    Response answer =
        importing(grant.refreshToken(), "[\"" + CALLER + "\"]", ",\"label\":\"Imported shop\"");

    answer.then().statusCode(201).header("Cache-Control", "no-store");
    UUID id = UUID.fromString(answer.path("id"));
    assertThat(answer.header("Location")).endsWith("/v1/connections/" + id);
    assertThat(answer.<String>path("account.id")).isEqualTo(grant.account().id());
    assertThat(answer.<String>path("account.username")).isEqualTo(grant.account().username());
    assertThat(answer.<String>path("status")).isEqualTo("active");
    assertThat(answer.<String>path("label")).isEqualTo("Imported shop");
    assertThat(answer.<List<String>>path("allowed_callers")).containsExactly(CALLER);
    RefreshTokenChain chain = pinterest.refreshChain(grant.account().id());
    assertThat(chain.used()).containsExactly(grant.refreshToken());
    String rotated = chain.latest().orElseThrow();
    assertThat(rotated).isNotEqualTo(grant.refreshToken());
    assertThat(storedRefreshToken(id)).isEqualTo(rotated);
    secrets.add(rotated);
    String served =
        PinterestFlows.tokenRequest(id, CallerTokens.token(CALLER, "token-consumer"), "{}")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    assertThat(served).isNotEqualTo(grant.accessToken());
    assertThat(pinterest.isAccessTokenLive(served)).isTrue();
  }

  @Test
  void importOfARefusedTokenAnswersGrantRejectedAndStoresNothing() {
    IssuedTokens grant = grant("import-refused");
    pinterest.killGrant(grant.account().id());

    Response answer = importing(grant.refreshToken(), "[\"" + CALLER + "\"]", "");

    answer.then().statusCode(422).contentType("application/problem+json");
    assertThat(answer.<String>path("code")).isEqualTo("grant_rejected");
    assertThat(connectionOf(grant)).isEmpty();
    assertThat(pinterest.accountCalls()).isZero();
  }

  @Test
  void importDuringAnUpstreamOutageAnswers503AndStoresNothingSoItCanBeRetried() {
    IssuedTokens grant = grant("import-transient");
    pinterest.enqueueTokenFaults(TokenEndpointFault.serviceUnavailable());

    Response outage = importing(grant.refreshToken(), "[\"" + CALLER + "\"]", "");

    outage.then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    assertThat(outage.<String>path("code")).isEqualTo("upstream_unavailable");
    assertThat(connectionOf(grant)).isEmpty();
    importing(grant.refreshToken(), "[\"" + CALLER + "\"]", "").then().statusCode(201);
    assertThat(connectionOf(grant)).isPresent();
  }

  @Test
  void importWhileTheAccountEndpointIsRateLimitedAnswers503WithoutSpendingTheRefreshToken() {
    IssuedTokens grant = grant("import-rate-limited");
    pinterest.rateLimitAccountCalls(1);

    Response limited =
        importing(
            grant.refreshToken(),
            "[\"" + CALLER + "\"]",
            ",\"access_token\":\"" + grant.accessToken() + "\"");

    limited.then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    assertThat(limited.<String>path("code")).isEqualTo("upstream_unavailable");
    assertThat(pinterest.refreshChain(grant.account().id()).used()).isEmpty();
    assertThat(connectionOf(grant)).isEmpty();
  }

  @Test
  void importOfALinkedAccountUpdatesItsConnectionAsARelinkWould() {
    String username = "import-linked-" + UUID.randomUUID();
    LinkedAccounts.Linked linked =
        new LinkedAccounts.Linked(
            LinkedAccounts.store(
                pinterest.issueGrant(username, "boards:read", "user_accounts:read"), "svc-old"),
            null);
    IssuedTokens again =
        pinterest.issueGrant(username, "boards:read", "pins:read", "user_accounts:read");
    secrets.add(again.refreshToken());

    Response keepCallers = importing(again.refreshToken(), "[]", "");

    keepCallers.then().statusCode(200);
    assertThat(keepCallers.<String>path("id")).isEqualTo(linked.id().toString());
    assertThat(keepCallers.<List<String>>path("allowed_callers")).containsExactly("svc-old");
    assertThat(keepCallers.<List<String>>path("scopes")).contains("pins:read");
    String rotated = pinterest.refreshChain(again.account().id()).latest().orElseThrow();
    secrets.add(rotated);
    assertThat(storedRefreshToken(linked.id())).isEqualTo(rotated);

    Response newCallers = importing(rotated, "[\"svc-new\"]", "");
    newCallers.then().statusCode(200);
    assertThat(newCallers.<String>path("id")).isEqualTo(linked.id().toString());
    assertThat(newCallers.<List<String>>path("allowed_callers")).containsExactly("svc-new");
    secrets.add(pinterest.refreshChain(again.account().id()).latest().orElseThrow());
  }

  @Test
  void importNeedsTheAdministratorRoleAndAValidBody() {
    IssuedTokens grant = grant("import-denied");

    Response denied =
        given()
            .auth()
            .oauth2(CallerTokens.token(CALLER, "token-consumer"))
            .contentType("application/json")
            .body(
                "{\"provider\":\"pinterest\",\"refresh_token\":\""
                    + grant.refreshToken()
                    + "\",\"allowed_callers\":[]}")
            .post("/v1/connections/import");
    answers.add(denied.body().asString());
    denied.then().statusCode(403);
    Response invalid = importing(grant.refreshToken(), "[\"has space\"]", "");
    invalid.then().statusCode(400);
    assertThat(invalid.<String>path("code")).isEqualTo("validation_failed");
    assertThat(pinterest.tokenCalls()).isZero();
    assertThat(connectionOf(grant)).isEmpty();
  }
}
