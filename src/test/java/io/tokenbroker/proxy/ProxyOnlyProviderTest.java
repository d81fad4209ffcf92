package io.tokenbroker.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code issue-access-tokens=false}: the provider's tokens never leave the broker, so the proxy is
 * the only way to use a connection, and removing a caller from it ends its access at once.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = {
      @ResourceArg(name = "preset", value = "pinterest"),
      @ResourceArg(name = "issue-access-tokens", value = "false")
    })
class ProxyOnlyProviderTest {

  @Test
  void theAccessTokenEndpointRefusesAndPointsToTheProxyWhichServesTheSameCaller() {
    PinterestStandIn pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    UUID id = LinkedAccounts.linkNew(pinterest, "proxy-only", "svc-proxy-only").id();
    String jwt = CallerTokens.token("svc-proxy-only", "token-consumer");

    String refused =
        given()
            .auth()
            .oauth2(jwt)
            .contentType("application/json")
            .body("{}")
            .post("/v1/connections/" + id + "/access-token")
            .then()
            .statusCode(403)
            .contentType("application/problem+json")
            .body("code", equalTo("forbidden"))
            .body("detail", containsString("proxy"))
            .extract()
            .asString();
    assertThat(refused).doesNotContain("pina.");

    given()
        .auth()
        .oauth2(jwt)
        .get("/v1/connections/" + id + "/proxy/user_account")
        .then()
        .statusCode(200)
        .body("username", startsWith("proxy-only-"));
    assertThat(pinterest.apiRequests()).hasSize(1);

    // A caller not listed learns nothing more on a proxy-only provider: the same 404 as ever.
    given()
        .auth()
        .oauth2(CallerTokens.token("svc-stranger", "token-consumer"))
        .contentType("application/json")
        .body("{}")
        .post("/v1/connections/" + id + "/access-token")
        .then()
        .statusCode(404);
  }
}
