package io.tokenbroker.hardening;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenbroker.support.Browser;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the browser is told about the callback's answers: the page cannot be framed or sniffed, and
 * neither the page nor the redirect to return_to passes the callback URL (code and state) on as a
 * referrer or leaves it in a cache.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class CallbackPageHeadersTest {

  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  @Test
  void callbackPageCannotBeFramedSniffedCachedOrLeakTheCodeAsReferrer() {
    Response page =
        given().redirects().follow(false).get("/v1/oauth/callback?state=unknown&code=abc");
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.header("Content-Security-Policy"))
        .contains("default-src 'none'")
        .contains("frame-ancestors 'none'");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void redirectToReturnToSendsNoReferrerAndIsNotCached() {
    pinterest.signInAs("header-shop");
    String url =
        given()
            .auth()
            .oauth2(CallerTokens.admin())
            .contentType("application/json")
            .body(
                "{\"provider\":\"pinterest\",\"return_to\":\"https://app.example.test/linked\","
                    + "\"allowed_callers\":[\"svc-headers\"]}")
            .post("/v1/authorizations")
            .then()
            .statusCode(201)
            .extract()
            .path("authorization_url");
    HttpResponse<String> atPinterest = Browser.get(url);
    Response landed = given().redirects().follow(false).get(Browser.location(atPinterest));
    assertThat(landed.statusCode()).isEqualTo(303);
    assertThat(landed.header("Location")).startsWith("https://app.example.test/linked?");
    assertThat(landed.header("Location")).doesNotContain("code=").doesNotContain("state=");
    assertThat(landed.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(landed.header("Cache-Control")).isEqualTo("no-store");
  }
}
