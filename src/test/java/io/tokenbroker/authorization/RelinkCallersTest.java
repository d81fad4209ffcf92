package io.tokenbroker.authorization;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Linking an account that is already linked changes who may use it only as the new authorization
 * says: a live connection keeps its callers unless callers are named; a deleted one comes back with
 * only the new authorization's callers. Every case leaves an audit row saying what happened.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class RelinkCallersTest {

  private PinterestStandIn pinterest;
  private PinterestFlows flows;

  @BeforeEach
  void upstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    flows = new PinterestFlows(pinterest);
  }

  @Test
  void relinkingALiveConnectionKeepsItsCallersUnlessTheAuthorizationNamesNewOnes() {
    String user = "relink-live-" + UUID.randomUUID();
    UUID id = flows.linkWith(user, callers("svc-first"));
    assertThat(callersOf(id)).containsExactly("svc-first");

    assertThat(flows.linkWith(user, "")).isEqualTo(id);
    assertThat(callersOf(id)).containsExactly("svc-first");
    assertThat(tokenStatus(id, "svc-first")).isEqualTo(200);
    assertThat(lastCompletion(id).outcome).isEqualTo("updated");
    assertThat(lastCompletion(id).detail).isEqualTo("callers kept: [svc-first]");

    assertThat(flows.linkWith(user, callers("svc-second"))).isEqualTo(id);
    assertThat(callersOf(id)).containsExactly("svc-second");
    assertThat(tokenStatus(id, "svc-first")).isEqualTo(404);
    assertThat(tokenStatus(id, "svc-second")).isEqualTo(200);
    assertThat(lastCompletion(id).detail)
        .isEqualTo("callers replaced: [svc-first] -> [svc-second]");
  }

  @Test
  void relinkingADeletedConnectionStartsWithOnlyTheNewAuthorizationsCallers() {
    String user = "relink-deleted-" + UUID.randomUUID();
    UUID id = flows.linkWith(user, callers("svc-old-a", "svc-old-b"));
    delete(id);

    assertThat(flows.linkWith(user, "")).isEqualTo(id);
    assertThat(callersOf(id)).as("no callers named: nobody regains access").isEmpty();
    assertThat(tokenStatus(id, "svc-old-a")).isEqualTo(404);
    assertThat(lastCompletion(id).outcome).isEqualTo("relinked_after_delete");
    assertThat(lastCompletion(id).detail)
        .isEqualTo("deleted connection linked again; callers reset: [svc-old-a,svc-old-b] -> []");

    delete(id);
    assertThat(flows.linkWith(user, callers("svc-new"))).isEqualTo(id);
    assertThat(callersOf(id)).containsExactly("svc-new");
    assertThat(tokenStatus(id, "svc-new")).isEqualTo(200);
    assertThat(tokenStatus(id, "svc-old-b")).isEqualTo(404);
    assertThat(lastCompletion(id).outcome).isEqualTo("relinked_after_delete");
    assertThat(lastCompletion(id).detail)
        .isEqualTo("deleted connection linked again; callers reset: [] -> [svc-new]");
  }

  private static String callers(String... names) {
    return "\"allowed_callers\":[\"" + String.join("\",\"", names) + "\"]";
  }

  private static List<String> callersOf(UUID id) {
    return given()
        .auth()
        .oauth2(CallerTokens.admin())
        .get("/v1/connections/" + id)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("allowed_callers", String.class);
  }

  private static int tokenStatus(UUID id, String caller) {
    return PinterestFlows.tokenRequest(id, CallerTokens.token(caller, "token-consumer"), "{}")
        .statusCode();
  }

  private static void delete(UUID id) {
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .delete("/v1/connections/" + id)
        .then()
        .statusCode(200);
  }

  private static AuditEvent lastCompletion(UUID id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                AuditEvent.<AuditEvent>find(
                        "connectionId = ?1 and action = 'authorization.completed' order by id desc",
                        id)
                    .firstResult());
  }
}
