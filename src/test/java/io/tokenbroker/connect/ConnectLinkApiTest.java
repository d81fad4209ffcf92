package io.tokenbroker.connect;

import static io.restassured.RestAssured.given;
import static io.tokenbroker.connect.ConnectLinks.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code /v1/connect-links} over real HTTP: create, list (never a token), revoke, bad input. */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
@WithTestResource(ConnectBaseUrlResource.class)
class ConnectLinkApiTest {

  @Test
  void createAnswers201WithAUrlOf256RandomBitsAndStoresOnlyItsHash() {
    Instant before = Instant.now();
    Response created =
        create(
            "{\"provider\":\"pinterest\",\"allowed_callers\":[\"svc-a\"],"
                + "\"expires_in_seconds\":3600}");
    created.then().statusCode(201).header("Cache-Control", "no-store");
    String url = created.path("url");
    assertThat(url).matches(ConnectBaseUrlResource.baseUrl() + "/connect/[A-Za-z0-9_-]{43}");
    Instant expires = Instant.parse(created.path("expires_at"));
    assertThat(expires).isBetween(before.plusSeconds(3599), Instant.now().plusSeconds(3601));

    String token = url.substring(url.lastIndexOf('/') + 1);
    ConnectLink stored = ConnectLinks.load(UUID.fromString(created.path("id")));
    assertThat(stored.tokenHash).isEqualTo(LinkTokens.hash(token)).isNotEqualTo(token);
    long rowsHoldingToken =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    ConnectLink.count(
                        "tokenHash = ?1 or note = ?1 or label = ?1 or scopes = ?1", token));
    assertThat(rowsHoldingToken).isZero();
  }

  @Test
  void defaultLifetimeIsSevenDaysAndScopesDefaultToTheProviders() {
    Response created = create("{\"provider\":\"pinterest\",\"allowed_callers\":[\"svc-a\"]}");
    created.then().statusCode(201);
    Duration lifetime = Duration.between(Instant.now(), Instant.parse(created.path("expires_at")));
    assertThat(lifetime).isBetween(Duration.ofDays(7).minusMinutes(1), Duration.ofDays(7));
    ConnectLink stored = ConnectLinks.load(UUID.fromString(created.path("id")));
    assertThat(stored.scopes).contains("user_accounts:read");
  }

  @Test
  void listShowsLinksWithStatusButNeverTheirTokens() {
    Response created =
        create(
            "{\"provider\":\"pinterest\",\"scopes\":[\"pins:read\",\"user_accounts:read\"],"
                + "\"allowed_callers\":[\"svc-b\",\"svc-a\"],\"label\":\"listed\","
                + "\"note\":\"line one\\nline two\"}");
    String id = created.path("id");
    String url = created.path("url");
    String token = url.substring(url.lastIndexOf('/') + 1);

    Response list = given().auth().oauth2(CallerTokens.admin()).get("/v1/connect-links");
    list.then().statusCode(200);
    assertThat(list.asString()).doesNotContain(token).doesNotContain("/connect/");
    List<Map<String, Object>> links = list.jsonPath().getList("$");
    Map<String, Object> mine =
        links.stream().filter(l -> id.equals(l.get("id"))).findFirst().orElseThrow();
    assertThat(mine)
        .containsEntry("provider", "pinterest")
        .containsEntry("status", "active")
        .containsEntry("label", "listed")
        .containsEntry("note", "line one\nline two")
        .containsEntry("created_by", "admin-tool")
        .containsEntry("scopes", List.of("pins:read", "user_accounts:read"))
        .containsEntry("allowed_callers", List.of("svc-a", "svc-b"))
        .doesNotContainKeys("token", "token_hash", "url");
  }

  @Test
  void revokeMarksTheLinkRevokedIsIdempotentAndUnknownIdsAre404() {
    String id = create("{\"provider\":\"pinterest\",\"allowed_callers\":[\"svc-a\"]}").path("id");
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .delete("/v1/connect-links/" + id)
        .then()
        .statusCode(204);
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .delete("/v1/connect-links/" + id)
        .then()
        .statusCode(204);
    ConnectLink revoked = ConnectLinks.load(UUID.fromString(id));
    assertThat(revoked.revokedBy).isEqualTo("admin-tool");
    assertThat(revoked.status(Instant.now())).isEqualTo(LinkStatus.REVOKED);
    assertThat(ConnectLinks.audit(revoked.id))
        .containsOnlyOnce("connect_link.revoked:ok")
        .contains("connect_link.created:ok");

    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .delete("/v1/connect-links/" + UUID.randomUUID())
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("code", equalTo("not_found"));
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .delete("/v1/connect-links/not-a-uuid")
        .then()
        .statusCode(404);
  }

  @Test
  void onlyAdministratorsManageLinks() {
    String consumer = CallerTokens.token("svc-a", "token-consumer");
    given()
        .auth()
        .oauth2(consumer)
        .contentType("application/json")
        .body("{\"provider\":\"pinterest\",\"allowed_callers\":[\"svc-a\"]}")
        .post("/v1/connect-links")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
    given().auth().oauth2(consumer).get("/v1/connect-links").then().statusCode(403);
    given().get("/v1/connect-links").then().statusCode(401);
  }

  @Test
  void badInputIsAProblemAndStoresNothing() {
    long before = linkCount();
    assertProblem(create("{\"provider\":\"pinterest\"}"), 400, "validation_failed");
    assertProblem(
        create("{\"provider\":\"pinterest\",\"allowed_callers\":[]}"), 400, "validation_failed");
    assertProblem(
        create(
            "{\"provider\":\"pinterest\",\"allowed_callers\":[\"a\"],"
                + "\"expires_in_seconds\":2592001}"),
        400,
        "validation_failed");
    assertProblem(
        create("{\"provider\":\"pinterest\",\"allowed_callers\":[\"a\"],\"expires_in_seconds\":5}"),
        400,
        "validation_failed");
    assertProblem(
        create("{\"provider\":\"pinterest\",\"allowed_callers\":[\"a\"],\"scopes\":[\"nope\"]}"),
        400,
        "validation_failed");
    assertProblem(
        create("{\"provider\":\"pinterest\",\"allowed_callers\":[\"a\"],\"note\":\"bell\\u0007\"}"),
        400,
        "validation_failed");
    assertProblem(
        create("{\"provider\":\"nosuch\",\"allowed_callers\":[\"a\"]}"), 404, "not_found");
    assertProblem(
        create("{\"provider\":\"pinterest\",\"allowed_callers\":[\"a\"],\"extra\":1}"),
        400,
        "malformed_request");
    assertThat(linkCount()).isEqualTo(before);
  }

  @Test
  void thirtyDaysIsAccepted() {
    create(
            "{\"provider\":\"pinterest\",\"allowed_callers\":[\"a\"],"
                + "\"expires_in_seconds\":2592000}")
        .then()
        .statusCode(201);
  }

  private static long linkCount() {
    return QuarkusTransaction.requiringNew().call(() -> ConnectLink.count());
  }

  private static void assertProblem(Response r, int status, String code) {
    r.then()
        .log()
        .ifValidationFails()
        .statusCode(status)
        .contentType("application/problem+json")
        .body("code", equalTo(code));
  }
}
