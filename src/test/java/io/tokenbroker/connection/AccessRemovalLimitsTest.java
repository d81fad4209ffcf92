package io.tokenbroker.connection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.Connections;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What removing access does and does not do: the broker stops handing out tokens at once, but a
 * bearer token already handed out keeps working at the provider until it expires, unless the
 * provider revokes it, which Pinterest does only for system-user tokens.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class AccessRemovalLimitsTest {

  private PinterestStandIn pinterest;

  @BeforeEach
  void upstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  @AfterEach
  void revocationAsUsual() {
    pinterest.refuseRevocation(false);
  }

  @Test
  void removedCallerIsRefusedAtOnceButTheTokenItAlreadyHoldsStillWorksUpstream() {
    UUID id = LinkedAccounts.linkNew(pinterest, "removal", "svc-leaving", "svc-staying").id();
    String held = fetch(id, "svc-leaving");

    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .contentType("application/json")
        .body("{\"allowed_callers\":[\"svc-staying\"]}")
        .put("/v1/connections/" + id + "/callers")
        .then()
        .statusCode(200);

    assertThat(status(id, "svc-leaving")).as("refused at once").isEqualTo(404);
    assertThat(pinterest.isAccessTokenLive(held))
        .as("a bearer token already handed out is not recalled by removing its caller")
        .isTrue();
  }

  @Test
  void deleteWhenTheProviderRefusesRevocationForgetsTheTokensButTheyStillWorkUpstream() {
    // Pinterest today: revocation only for system-user tokens; 403 code 29 for everyone else.
    pinterest.refuseRevocation(true);
    UUID id = LinkedAccounts.linkNew(pinterest, "delete-refused", "svc-del").id();
    String held = fetch(id, "svc-del");

    delete(id);

    assertThat(pinterest.revocationCalls()).as("revocation was attempted").isPositive();
    assertThat(lastDeletion(id).outcome).isEqualTo("deleted");
    Connection row = Connections.load(id);
    assertThat(row.accessTokenEnc).isNull();
    assertThat(row.refreshTokenEnc).isNull();
    assertThat(status(id, "svc-del")).isEqualTo(404);
    assertThat(pinterest.isAccessTokenLive(held)).as("best effort: not revoked upstream").isTrue();
  }

  @Test
  void deleteWhenTheProviderRevokesEndsTheTokenUpstreamAndSaysSoInTheAudit() {
    UUID id = LinkedAccounts.linkNew(pinterest, "delete-revoked", "svc-del").id();
    String held = fetch(id, "svc-del");

    delete(id);

    assertThat(lastDeletion(id).outcome).isEqualTo("revoked_upstream");
    assertThat(pinterest.isAccessTokenLive(held)).isFalse();
  }

  private static String fetch(UUID id, String caller) {
    return PinterestFlows.tokenRequest(id, CallerTokens.token(caller, "token-consumer"), "{}")
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  private static int status(UUID id, String caller) {
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

  private static AuditEvent lastDeletion(UUID id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                AuditEvent.<AuditEvent>find(
                        "connectionId = ?1 and action = 'connection.deleted' order by id desc", id)
                    .firstResult());
  }
}
