package io.tokenbroker.connect;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import org.junit.jupiter.api.Test;

/**
 * Without {@code broker.connect.public-base-url} the broker starts, and connect links say clearly
 * that they are not configured.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class ConnectLinksNotConfiguredTest {

  @Test
  void creatingALinkWithoutPublicBaseUrlIsA409NamingTheKey() {
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .contentType("application/json")
        .body("{\"provider\":\"pinterest\",\"allowed_callers\":[\"svc-a\"]}")
        .post("/v1/connect-links")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("code", equalTo("connect_links_not_configured"))
        .body("detail", containsString("broker.connect.public-base-url"));
  }

  @Test
  void pagesAnswer404WithoutAButton() {
    String html =
        given().get("/connect/" + "B".repeat(43)).then().statusCode(404).extract().asString();
    assertThat(html).contains("This link is not valid").doesNotContain("<button");
  }
}
