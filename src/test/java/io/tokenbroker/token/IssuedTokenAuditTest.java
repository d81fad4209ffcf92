package io.tokenbroker.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issued tokens are audited as counts by default ({@code broker.audit.issued-tokens=aggregated}):
 * one row per caller, connection and minute with the first and last request ids; refusals keep a
 * row each.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class IssuedTokenAuditTest {

  private static final String CONSUMER = "svc-counted";

  @Inject AuditTrail audit;

  private static int fetch(UUID id, String requestId, String body) {
    return given()
        .header("X-Request-Id", requestId)
        .auth()
        .oauth2(CallerTokens.token(CONSUMER, "token-consumer"))
        .contentType("application/json")
        .body(body)
        .post("/v1/connections/" + id + "/access-token")
        .statusCode();
  }

  private static List<AuditEvent> rows(UUID id, String action) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                AuditEvent.<AuditEvent>list(
                    "connectionId = ?1 and action = ?2 and actor = ?3", id, action, CONSUMER));
  }

  @Test
  void tokensIssuedToOneCallerAreOneRowPerMinuteWithTheCountAndFirstAndLastRequestIds() {
    PinterestStandIn pinterest = PinterestStandInResource.pinterest();
    UUID id = LinkedAccounts.linkNew(pinterest, "counted-shop", CONSUMER).id();
    String run = UUID.randomUUID().toString().substring(0, 8);

    assertThat(fetch(id, "first-" + run, "{}")).isEqualTo(200);
    assertThat(fetch(id, "second-" + run, "{}")).isEqualTo(200);
    assertThat(fetch(id, "third-" + run, "{}")).isEqualTo(200);
    assertThat(fetch(id, "denied-" + run, "{\"scopes\":[\"ads:write\"]}")).isEqualTo(403);
    audit.flush();

    List<AuditEvent> issued = rows(id, "token.issued");
    issued.sort(Comparator.comparing(r -> r.occurredAt));
    // Three requests usually fall into one minute; when a minute ends between them, each minute
    // has its row, and the counts still add up.
    assertThat(issued).isNotEmpty().hasSizeLessThanOrEqualTo(2);
    assertThat(issued.stream().mapToInt(r -> r.issuedCount).sum()).isEqualTo(3);
    assertThat(issued.get(0).requestId).isEqualTo("first-" + run);
    assertThat(issued.get(issued.size() - 1).lastRequestId).isEqualTo("third-" + run);
    assertThat(issued)
        .extracting(r -> r.occurredAt.truncatedTo(ChronoUnit.MINUTES))
        .doesNotHaveDuplicates();
    assertThat(rows(id, "token.denied"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.requestId).isEqualTo("denied-" + run);
              assertThat(r.issuedCount).isNull();
            });
  }
}
