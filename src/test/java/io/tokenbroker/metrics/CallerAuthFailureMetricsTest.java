package io.tokenbroker.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import org.junit.jupiter.api.Test;

/**
 * Every 401 counts in {@code broker_caller_auth_failures_total} by reason, so that a wrong issuer
 * or a dead JWKS shows on a dashboard instead of only in callers' logs.
 */
@QuarkusTest
// Shared with the other observability tests (see DatabaseErrorMetricsTest).
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class CallerAuthFailureMetricsTest {

  private static final String FAILURES = "broker_caller_auth_failures_total";

  @Test
  void everyReasonExistsAtZeroBeforeItsFirstFailure() {
    Scrape scrape = Scrape.now();

    for (String reason : new String[] {"missing", "not_bearer", "invalid"}) {
      assertThat(scrape.find(FAILURES, "reason", reason)).as(reason).isPresent();
    }
  }

  @Test
  void requestWithoutCredentialsCountsAsMissing() {
    Scrape before = Scrape.now();

    given().get("/v1/connections").then().statusCode(401);

    assertThat(Scrape.now().since(before, FAILURES, "reason", "missing")).isEqualTo(1);
  }

  @Test
  void basicCredentialsCountAsNotBearer() {
    Scrape before = Scrape.now();

    given().auth().preemptive().basic("svc", "pw").get("/v1/connections").then().statusCode(401);

    Scrape after = Scrape.now();
    assertThat(after.since(before, FAILURES, "reason", "not_bearer")).isEqualTo(1);
    assertThat(after.since(before, FAILURES, "reason", "invalid")).isZero();
  }

  @Test
  void bearerTokenThatFailsVerificationCountsAsInvalid() {
    String tampered = CallerTokens.admin().replaceFirst("\\.[^.]+$", ".c2lnbmF0dXJl");
    Scrape before = Scrape.now();

    given().auth().oauth2(tampered).get("/v1/connections").then().statusCode(401);
    given().auth().oauth2("not-a-jwt").get("/v1/connections").then().statusCode(401);

    assertThat(Scrape.now().since(before, FAILURES, "reason", "invalid")).isEqualTo(2);
  }

  @Test
  void authenticatedRequestsCountNothing() {
    Scrape before = Scrape.now();

    given().auth().oauth2(CallerTokens.admin()).get("/v1/connections").then().statusCode(200);

    Scrape after = Scrape.now();
    for (String reason : new String[] {"missing", "not_bearer", "invalid"}) {
      assertThat(after.since(before, FAILURES, "reason", reason)).as(reason).isZero();
    }
  }

  @Test
  void tokenExchangeRefusalsCountOnceEachByTheSameReasons() {
    String form = "grant_type=urn:ietf:params:oauth:grant-type:token-exchange&resource=pinterest";
    String tampered = CallerTokens.admin().replaceFirst("\\.[^.]+$", ".c2lnbmF0dXJl");
    Scrape before = Scrape.now();

    exchange(given(), form);
    exchange(given().auth().preemptive().basic("svc", "pw"), form);
    exchange(given().auth().oauth2(tampered), form);
    exchange(
        given(),
        form
            + "&subject_token_type=urn:ietf:params:oauth:token-type:jwt&subject_token="
            + tampered);

    Scrape after = Scrape.now();
    assertThat(after.since(before, FAILURES, "reason", "missing")).isEqualTo(1);
    assertThat(after.since(before, FAILURES, "reason", "not_bearer")).isEqualTo(1);
    // The tampered JWT once in the header, once as subject_token.
    assertThat(after.since(before, FAILURES, "reason", "invalid")).isEqualTo(2);
  }

  private static void exchange(
      io.restassured.specification.RequestSpecification request, String form) {
    request
        .contentType("application/x-www-form-urlencoded")
        .body(form)
        .post("/v1/token")
        .then()
        .statusCode(401);
  }
}
