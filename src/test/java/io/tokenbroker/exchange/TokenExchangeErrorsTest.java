package io.tokenbroker.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every RFC 6749 error the token-exchange door answers, each for the reason it stands for. */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class TokenExchangeErrorsTest {

  private static final String CONSUMER = "svc-exchange-errors";
  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  private static String consumer() {
    return CallerTokens.token(CONSUMER, "token-consumer");
  }

  private UUID linked(String name) {
    return LinkedAccounts.linkNew(pinterest, name, CONSUMER).id();
  }

  @Test
  void malformedMissingOrRepeatedParametersAreInvalidRequest() {
    String target = Exchange.connection(linked("exchange-invalid-request"));
    String jwt = consumer();
    Exchange.error(Exchange.post(jwt, Exchange.form("resource", target)), 400, "invalid_request");
    Exchange.error(
        Exchange.post(
            jwt, Exchange.form("grant_type", Exchange.GRANT, "grant_type", Exchange.GRANT)),
        400,
        "invalid_request");
    Exchange.error(
        Exchange.bearer(jwt, "resource", target, "scope", "boards:read", "scope", "pins:read"),
        400,
        "invalid_request");
    Exchange.error(Exchange.bearer(jwt), 400, "invalid_request");
    Exchange.error(
        Exchange.bearer(jwt, "resource", target, "min_ttl_seconds", "soon"),
        400,
        "invalid_request");
    Exchange.error(
        Exchange.bearer(jwt, "resource", target, "min_ttl_seconds", "90000"),
        400,
        "invalid_request");
    Exchange.error(
        Exchange.bearer(jwt, "resource", target, "requested_token_type", Exchange.JWT),
        400,
        "invalid_request");
    Exchange.error(
        Exchange.bearer(
            jwt, "resource", target, "actor_token", jwt, "actor_token_type", Exchange.JWT),
        400,
        "invalid_request");
    Exchange.error(
        Exchange.post(jwt, Exchange.grantWith("resource", target) + "&scope=%E0%A4%A"),
        400,
        "invalid_request");
    Exchange.error(
        Exchange.post(jwt, Exchange.grantWith("resource", target) + "&scope=%C3%28"),
        400,
        "invalid_request");
    Exchange.error(
        RestAssured.given()
            .auth()
            .oauth2(jwt)
            .contentType("application/json")
            .body("{\"grant_type\":\"" + Exchange.GRANT + "\"}")
            .post(Exchange.PATH)
            .then(),
        400,
        "invalid_request");
  }

  @Test
  void subjectTokenThatIsNotTheCallersOwnJwtIsInvalidRequest() {
    String target = Exchange.connection(linked("exchange-subject-type"));
    String jwt = consumer();
    Exchange.error(
        Exchange.post(
            null,
            Exchange.grantWith(
                "resource",
                target,
                "subject_token",
                jwt,
                "subject_token_type",
                Exchange.ACCESS_TOKEN)),
        400,
        "invalid_request");
    Exchange.error(
        Exchange.post(null, Exchange.grantWith("resource", target, "subject_token", jwt)),
        400,
        "invalid_request");
    Exchange.error(
        Exchange.post(
            jwt,
            Exchange.grantWith(
                "resource",
                target,
                "subject_token",
                CallerTokens.token("svc-someone-else", "token-consumer"),
                "subject_token_type",
                Exchange.JWT)),
        400,
        "invalid_request");
  }

  @Test
  void anyOtherGrantIsUnsupportedGrantType() {
    Exchange.error(
        Exchange.post(consumer(), Exchange.form("grant_type", "client_credentials")),
        400,
        "unsupported_grant_type");
  }

  @Test
  void unknownAndForbiddenTargetsGetTheSameInvalidTarget() {
    UUID id = linked("exchange-target");
    String stranger = CallerTokens.token("svc-stranger", "token-consumer");
    String notAllowed =
        Exchange.error(
                Exchange.bearer(stranger, "resource", Exchange.connection(id)),
                400,
                "invalid_target")
            .extract()
            .asString();
    String unknown =
        Exchange.error(
                Exchange.bearer(stranger, "resource", Exchange.connection(UUID.randomUUID())),
                400,
                "invalid_target")
            .extract()
            .asString();
    String notAConsumer =
        Exchange.error(
                Exchange.bearer(
                    CallerTokens.token(CONSUMER, "broker-admin"),
                    "resource",
                    Exchange.connection(id)),
                400,
                "invalid_target")
            .extract()
            .asString();
    assertThat(notAllowed).isEqualTo(unknown).isEqualTo(notAConsumer).doesNotContain(id.toString());
    String app = CallerTokens.token("svc-app", "token-consumer");
    String providerNotAllowed =
        Exchange.error(
                Exchange.bearer(consumer(), "resource", Exchange.provider("pinterest")),
                400,
                "invalid_target")
            .extract()
            .asString();
    String unknownProvider =
        Exchange.error(
                Exchange.bearer(app, "resource", Exchange.provider("nope")), 400, "invalid_target")
            .extract()
            .asString();
    assertThat(providerNotAllowed).isEqualTo(unknownProvider).isEqualTo(unknown);
    Exchange.error(
        Exchange.bearer(consumer(), "resource", "https://api.pinterest.com/v5"),
        400,
        "invalid_target");
    Exchange.error(Exchange.bearer(consumer(), "audience", "pinterest"), 400, "invalid_target");
    Exchange.error(
        Exchange.bearer(
            consumer(),
            "resource",
            Exchange.connection(id),
            "resource",
            Exchange.provider("pinterest")),
        400,
        "invalid_target");
  }

  @Test
  void scopesThatAreMalformedNotGrantedOrNotAllowedAreInvalidScope() {
    UUID id = linked("exchange-scope");
    Exchange.error(
            Exchange.bearer(consumer(), "resource", Exchange.connection(id), "scope", "ads:write"),
            400,
            "invalid_scope")
        .body("granted_scope", equalTo("boards:read pins:read user_accounts:read"));
    Exchange.error(
        Exchange.bearer(
            consumer(), "resource", Exchange.connection(id), "scope", "boards:read,pins:read"),
        400,
        "invalid_scope");
    Exchange.error(
        Exchange.bearer(
            consumer(), "resource", Exchange.connection(id), "scope", "boards:read  pins:read"),
        400,
        "invalid_scope");
    Exchange.error(
        Exchange.bearer(
            CallerTokens.token("svc-app", "token-consumer"),
            "resource",
            Exchange.provider("pinterest"),
            "scope",
            "no-such:scope"),
        400,
        "invalid_scope");
  }

  @Test
  void invalidOrMissingCallerJwtIsInvalidClientWithWwwAuthenticate() {
    String target = Exchange.connection(linked("exchange-client"));
    String expired =
        CallerTokens.claims(CONSUMER, "token-consumer")
            .expiresIn(-3600)
            .sign(CallerTokens.signingKey());
    for (var response :
        java.util.List.of(
            Exchange.bearer("e30.e30.x", "resource", target),
            Exchange.bearer(expired, "resource", target),
            Exchange.subject("e30.e30.x", "resource", target),
            Exchange.subject(expired, "resource", target),
            Exchange.post(null, Exchange.grantWith("resource", target)),
            RestAssured.given()
                .auth()
                .preemptive()
                .basic("svc-exchange-errors", "secret")
                .contentType("application/x-www-form-urlencoded")
                .body(Exchange.grantWith("resource", target))
                .post(Exchange.PATH)
                .then())) {
      Exchange.error(response, 401, "invalid_client").header("WWW-Authenticate", "Bearer");
    }
  }

  @Test
  void deadGrantIsInvalidGrantWithTheRelinkHint() {
    UUID id = linked("exchange-dead-grant");
    Exchange.status(id, ConnectionStatus.REAUTHORIZATION_REQUIRED);
    Exchange.error(
            Exchange.subject(consumer(), "resource", Exchange.connection(id)), 400, "invalid_grant")
        .body("error_description", notNullValue())
        .body("reauthorize.href", equalTo("/v1/authorizations"))
        .body("reauthorize.method", equalTo("POST"))
        .body("reauthorize.body.provider", equalTo("pinterest"));
  }

  @Test
  void providerDownWithNoValidTokenIsTemporarilyUnavailableWithRetryAfter() {
    UUID id = linked("exchange-outage");
    Exchange.accessTokenExpired(id);
    pinterest.enqueueTokenFaults(TokenEndpointFault.rateLimited(120));
    String retryAfter =
        Exchange.error(
                Exchange.bearer(consumer(), "resource", Exchange.connection(id)),
                503,
                "temporarily_unavailable")
            .header("Retry-After", notNullValue())
            .body("error_description", not(equalTo("")))
            .extract()
            .header("Retry-After");
    assertThat(Long.parseLong(retryAfter)).isGreaterThanOrEqualTo(100);
    Exchange.error(
            Exchange.bearer(consumer(), "resource", Exchange.connection(id)),
            503,
            "temporarily_unavailable")
        .header("Retry-After", notNullValue());
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
  }

  @Test
  void errorsNeverEchoTheCallerJwt() {
    String jwt = consumer();
    String body =
        Exchange.error(
                Exchange.post(
                    jwt,
                    Exchange.grantWith(
                        "subject_token", "not-" + jwt, "subject_token_type", Exchange.JWT)),
                400,
                "invalid_request")
            .extract()
            .asString();
    assertThat(body).doesNotContain(jwt.substring(jwt.lastIndexOf('.') + 1));
  }
}
