package io.tokenbroker.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import io.tokenbroker.support.webhook.WebhookReceiver;
import io.tokenbroker.support.webhook.WebhookReceiverResource;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every status transition of a connection reaches the team's endpoint as its signed event, over
 * real HTTP, checked by a receiver that verifies signatures with its own code: linked (callback and
 * import), degraded, recovered, reauthorization_required, linked again, revoked.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
@WithTestResource(
    value = WebhookReceiverResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES)
class WebhookTransitionsTest {

  private PinterestStandIn pinterest;
  private WebhookReceiver receiver;

  @BeforeEach
  void setUp() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    receiver = WebhookReceiverResource.receiver();
    receiver.reset();
  }

  private static JsonNode data(WebhookReceiver.Received r) {
    return WebhookEvents.body(r).path("data");
  }

  @Test
  void everyTransitionOfAConnectionIsSentAsItsSignedEvent() {
    String username = "hooked-" + UUID.randomUUID();
    UUID id = new PinterestFlows(pinterest).link(username);

    WebhookReceiver.Received linked = WebhookEvents.await(receiver, id, "connection.linked");
    assertThat(linked.verified()).isTrue();
    assertThat(linked.id()).startsWith("msg_");
    JsonNode body = WebhookEvents.body(linked);
    assertThat(body.path("timestamp").asText()).isNotBlank();
    assertThat(data(linked).path("provider").asText()).isEqualTo("pinterest");
    assertThat(data(linked).path("account").path("username").asText()).isEqualTo(username);
    assertThat(data(linked).path("account").path("id").asText()).isNotBlank();
    assertThat(data(linked).path("status").asText()).isEqualTo("active");
    assertThat(data(linked).path("previous_status").isNull()).isTrue();

    pinterest.enqueueTokenFaults(TokenEndpointFault.serviceUnavailable());
    PinterestFlows.forceRefresh(id);
    WebhookReceiver.Received degraded = WebhookEvents.await(receiver, id, "connection.degraded");
    assertThat(degraded.verified()).isTrue();
    assertThat(data(degraded).path("status").asText()).isEqualTo("degraded");
    assertThat(data(degraded).path("previous_status").asText()).isEqualTo("active");
    assertThat(data(degraded).path("reason").asText()).contains("TRANSIENT");

    PinterestFlows.forceRefresh(id).then().statusCode(200);
    WebhookReceiver.Received recovered = WebhookEvents.await(receiver, id, "connection.recovered");
    assertThat(recovered.verified()).isTrue();
    assertThat(data(recovered).path("previous_status").asText()).isEqualTo("degraded");
    assertThat(data(recovered).path("status").asText()).isEqualTo("active");

    pinterest.killGrant(data(linked).path("account").path("id").asText());
    PinterestFlows.forceRefresh(id);
    WebhookReceiver.Received dead =
        WebhookEvents.await(receiver, id, "connection.reauthorization_required");
    assertThat(dead.verified()).isTrue();
    assertThat(data(dead).path("previous_status").asText()).isEqualTo("active");
    assertThat(data(dead).path("status").asText()).isEqualTo("reauthorization_required");

    IssuedTokens fresh = pinterest.issueGrant(username, "boards:read", "user_accounts:read");
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .contentType("application/json")
        .body(
            "{\"provider\":\"pinterest\",\"refresh_token\":\""
                + fresh.refreshToken()
                + "\",\"allowed_callers\":[]}")
        .post("/v1/connections/import")
        .then()
        .statusCode(200);
    WebhookEvents.await(receiver, id, "connection.linked");
    io.tokenbroker.support.Poll.until(
        "the import's linked event",
        java.time.Duration.ofSeconds(20),
        () -> receiver.received(r -> WebhookEvents.about(r, id, "connection.linked")).size() == 2);
    WebhookReceiver.Received relinked =
        receiver.received(r -> WebhookEvents.about(r, id, "connection.linked")).get(1);
    assertThat(relinked.verified()).isTrue();
    assertThat(data(relinked).path("previous_status").asText())
        .isEqualTo("reauthorization_required");

    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .delete("/v1/connections/" + id)
        .then()
        .statusCode(200);
    WebhookReceiver.Received revoked = WebhookEvents.await(receiver, id, "connection.revoked");
    assertThat(revoked.verified()).isTrue();
    assertThat(data(revoked).path("previous_status").asText()).isEqualTo("active");

    assertThat(WebhookEvents.types(receiver, id))
        .containsExactly(
            "connection.linked",
            "connection.degraded",
            "connection.recovered",
            "connection.reauthorization_required",
            "connection.linked",
            "connection.revoked");
    List<String> ids = receiver.received().stream().map(WebhookReceiver.Received::id).toList();
    assertThat(ids).doesNotHaveDuplicates();
  }
}
