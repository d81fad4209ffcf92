package io.tokenbroker.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.StatusTransitions;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.Poll;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.webhook.WebhookReceiver;
import io.tokenbroker.support.webhook.WebhookReceiver.Answer;
import io.tokenbroker.support.webhook.WebhookReceiverResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How events are delivered: failed attempts (500s, timeouts) are retried on the backoff schedule
 * with the same id and body until the receiver takes them; an event whose retry window closes is
 * failed, listed and redelivered on request; concurrent deliverers never send one event twice; and
 * an event written while no deliverer runs, or abandoned mid-attempt, is delivered once delivery
 * resumes.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
@WithTestResource(
    value = WebhookReceiverResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES)
class WebhookDeliveryTest {

  @Inject WebhookDispatcher dispatcher;
  @Inject DeliveryClaims claims;
  @Inject StatusTransitions transitions;
  @Inject MeterRegistry registry;
  @Inject Scheduler scheduler;

  private PinterestStandIn pinterest;
  private WebhookReceiver receiver;

  @BeforeEach
  void setUp() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    receiver = WebhookReceiverResource.receiver();
    receiver.reset();
  }

  private double deliveries(String outcome) {
    return registry.counter("broker.webhook.deliveries", "outcome", outcome).count();
  }

  private static WebhookDelivery row(String id) {
    return QuarkusTransaction.requiringNew().call(() -> WebhookDelivery.findById(id));
  }

  private static List<WebhookDelivery> rowsOf(UUID connection) {
    return QuarkusTransaction.requiringNew()
        .call(() -> WebhookDelivery.<WebhookDelivery>list("connectionId", connection));
  }

  private UUID linkedAccount() {
    return LinkedAccounts.linkNew(pinterest, "hook-delivery", "svc-hooks").id();
  }

  private List<WebhookReceiver.Received> receivedFor(UUID connection) {
    return receiver.received(r -> WebhookEvents.about(r, connection, "connection.linked"));
  }

  @Test
  void receiverErrorsAndTimeoutsAreRetriedOnScheduleWithTheSameIdAndBody() {
    double retriesBefore = deliveries("retry");
    double deliveredBefore = deliveries("delivered");
    receiver.script(Answer.status(500), Answer.status(503), Answer.noAnswer());

    UUID id = linkedAccount();
    Poll.until("four attempts", Duration.ofSeconds(30), () -> receivedFor(id).size() >= 4);
    Poll.until(
        "the delivery is recorded",
        Duration.ofSeconds(10),
        () -> WebhookDelivery.DELIVERED.equals(row(receivedFor(id).get(0).id()).state));

    List<WebhookReceiver.Received> attempts = receivedFor(id);
    assertThat(attempts).hasSize(4);
    assertThat(attempts)
        .extracting(WebhookReceiver.Received::id)
        .containsOnly(attempts.get(0).id());
    assertThat(attempts)
        .extracting(WebhookReceiver.Received::body)
        .containsOnly(attempts.get(0).body());
    assertThat(attempts).allMatch(WebhookReceiver.Received::verified);
    long initial = WebhookReceiverResource.INITIAL_DELAY_MILLIS;
    long timeout = WebhookReceiverResource.TIMEOUT_MILLIS;
    // Each retry waits at least its backoff (300 ms, doubled per failure) after the failed
    // attempt ended; the third failure is a timeout, so it ends a timeout after it was sent.
    long[] earliest = {initial, 2 * initial, timeout + 4 * initial};
    for (int i = 1; i < 4; i++) {
      long gap = Duration.between(attempts.get(i - 1).at(), attempts.get(i).at()).toMillis();
      assertThat(gap)
          .as("gap before attempt %d", i + 1)
          .isGreaterThanOrEqualTo(earliest[i - 1] - 20);
      // Due at the backoff, found by the next 100 ms poll; generous for a loaded machine.
      assertThat(gap).as("gap before attempt %d", i + 1).isLessThan(earliest[i - 1] + 5_000);
    }
    WebhookDelivery delivered = row(attempts.get(0).id());
    assertThat(delivered.attempts).isEqualTo(4);
    assertThat(delivered.lastStatus).isEqualTo(204);
    assertThat(delivered.deliveredAt).isNotNull();
    assertThat(deliveries("retry") - retriesBefore).isEqualTo(3);
    assertThat(deliveries("delivered") - deliveredBefore).isGreaterThanOrEqualTo(1);
  }

  @Test
  void eventWhoseRetriesRunOutIsFailedListedAndRedeliveredWithTheSameId() {
    double failedBefore = deliveries("failed");
    for (int i = 0; i < 100; i++) {
      receiver.script(Answer.status(500));
    }
    UUID connection = linkedAccount();
    Poll.until("a first attempt", Duration.ofSeconds(20), () -> !receivedFor(connection).isEmpty());
    String id = receivedFor(connection).get(0).id();
    // As if the retry window (26 h by default) had passed since the event was written.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                WebhookDelivery.update(
                    "giveUpAt = ?1 where id = ?2", Instant.now().minusSeconds(1), id));
    Poll.until(
        "the event is failed",
        Duration.ofSeconds(20),
        () -> WebhookDelivery.FAILED.equals(row(id).state));
    assertThat(deliveries("failed") - failedBefore).isEqualTo(1);
    int attemptsSoFar = receivedFor(connection).size();

    Response failed =
        given()
            .auth()
            .oauth2(CallerTokens.admin())
            .get("/v1/admin/webhook-deliveries?state=failed");
    failed.then().statusCode(200);
    assertThat(failed.<List<String>>path("id")).contains(id);
    Map<String, Object> listed =
        failed.<List<Map<String, Object>>>path("").stream()
            .filter(d -> id.equals(d.get("id")))
            .findFirst()
            .orElseThrow();
    assertThat(listed).containsEntry("state", "failed").containsEntry("last_status", 500);
    assertThat(listed.get("type")).isEqualTo("connection.linked");

    receiver.reset();
    Response redelivered =
        given()
            .auth()
            .oauth2(CallerTokens.admin())
            .post("/v1/admin/webhook-deliveries/" + id + "/redeliver");
    redelivered.then().statusCode(200);
    assertThat(redelivered.<String>path("state")).isEqualTo("pending");
    Poll.until("the redelivery", Duration.ofSeconds(20), () -> !receivedFor(connection).isEmpty());
    WebhookReceiver.Received again = receivedFor(connection).get(0);
    assertThat(again.id()).isEqualTo(id);
    assertThat(again.verified()).isTrue();
    Poll.until(
        "the event is delivered",
        Duration.ofSeconds(10),
        () -> WebhookDelivery.DELIVERED.equals(row(id).state));
    assertThat(row(id).attempts).isEqualTo(attemptsSoFar + 1);
  }

  @Test
  void adminApiRefusesWhatItCannotDo() {
    String pending = WebhookOutbox.newId();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              WebhookDelivery d = new WebhookDelivery();
              d.id = pending;
              d.eventType = "connection.linked";
              d.payload = "{}";
              d.state = WebhookDelivery.PENDING;
              d.createdAt = Instant.now();
              d.nextAttemptAt = Instant.now().plus(Duration.ofDays(1));
              d.giveUpAt = Instant.now().plus(Duration.ofDays(2));
              d.persist();
            });
    try {
      String admin = CallerTokens.admin();
      given()
          .auth()
          .oauth2(admin)
          .post("/v1/admin/webhook-deliveries/" + pending + "/redeliver")
          .then()
          .statusCode(409)
          .body("code", org.hamcrest.Matchers.equalTo("conflict"));
      given()
          .auth()
          .oauth2(admin)
          .post("/v1/admin/webhook-deliveries/" + WebhookOutbox.newId() + "/redeliver")
          .then()
          .statusCode(404);
      given()
          .auth()
          .oauth2(admin)
          .get("/v1/admin/webhook-deliveries?state=lost")
          .then()
          .statusCode(400)
          .body("code", org.hamcrest.Matchers.equalTo("validation_failed"));
      given()
          .auth()
          .oauth2(CallerTokens.token("svc-hooks", "token-consumer"))
          .get("/v1/admin/webhook-deliveries?state=failed")
          .then()
          .statusCode(403);
      assertThat(
              given()
                  .auth()
                  .oauth2(admin)
                  .get("/v1/admin/webhook-deliveries?state=pending")
                  .<List<String>>path("id"))
          .contains(pending);
    } finally {
      QuarkusTransaction.requiringNew().run(() -> WebhookDelivery.deleteById(pending));
    }
  }

  /** Announces {@code count} linked events in one transaction: all due at the same moment. */
  private List<UUID> eventsDueTogether(int count) {
    List<UUID> connections = new ArrayList<>();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (int i = 0; i < count; i++) {
                Connection c = new Connection();
                c.id = UUID.randomUUID();
                c.provider = "pinterest";
                c.accountId = "burst-" + i;
                c.status = ConnectionStatus.ACTIVE;
                connections.add(c.id);
                transitions.linked(c, null, "linked");
              }
            });
    return connections;
  }

  @Test
  void concurrentDeliverersNeverSendOneEventTwice() throws Exception {
    receiver.answerAfter(Duration.ofMillis(30));
    List<UUID> connections = eventsDueTogether(60);
    Set<String> wanted = connections.stream().map(UUID::toString).collect(Collectors.toSet());
    Function<WebhookReceiver.Received, String> connectionOf =
        r -> WebhookEvents.body(r).path("data").path("connection_id").asText();

    // Three more deliverers besides the scheduled one, racing for the same rows, as replicas do.
    ExecutorService replicas = Executors.newFixedThreadPool(3);
    int byExtraDeliverers = 0;
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(replicas.submit(() -> dispatcher.deliverDue()));
      }
      for (Future<Integer> run : runs) {
        byExtraDeliverers += run.get();
      }
    } finally {
      replicas.shutdownNow();
    }
    for (UUID c : connections) {
      Poll.until(
          "recorded as delivered",
          Duration.ofSeconds(30),
          () -> rowsOf(c).get(0).state.equals(WebhookDelivery.DELIVERED));
    }
    assertThat(byExtraDeliverers).isPositive();
    List<WebhookReceiver.Received> arrived =
        receiver.received(r -> wanted.contains(connectionOf.apply(r)));
    Map<String, Long> sendsPerEvent =
        arrived.stream()
            .collect(Collectors.groupingBy(WebhookReceiver.Received::id, Collectors.counting()));
    assertThat(sendsPerEvent).hasSize(60);
    int retried = 0;
    for (UUID c : connections) {
      WebhookDelivery row = rowsOf(c).get(0);
      // Every send was an attempt of its own claim: a second send of one event exists only as a
      // recorded retry after a failed attempt, never as two deliverers holding the same claim.
      assertThat(sendsPerEvent.get(row.id)).as(row.id).isEqualTo((long) row.attempts);
      retried += row.attempts > 1 ? 1 : 0;
    }
    // A loaded machine may time out an attempt now and then; concurrent claims never add sends.
    assertThat(retried).isLessThan(10);
  }

  @Test
  void eventsWrittenWhileNoDelivererRunsOrAbandonedMidAttemptAreDeliveredWhenDeliveryResumes() {
    // No deliverer runs: as while every replica is down.
    scheduler.pause(WebhookDispatcher.JOB);
    UUID waiting;
    UUID abandoned;
    Instant claimEnds;
    try {
      waiting = linkedAccount();
      abandoned = eventsDueTogether(1).get(0);
      String abandonedId = rowsOf(abandoned).get(0).id;
      // A deliverer claims both and dies before it records anything.
      claimEnds = Instant.now().plusMillis(1500);
      List<DeliveryClaims.Claimed> claimed = claims.claim(100, Duration.ofMillis(1500));
      assertThat(claimed).extracting(DeliveryClaims.Claimed::id).contains(abandonedId);
      assertThat(receiver.received()).isEmpty();
    } finally {
      scheduler.resume(WebhookDispatcher.JOB);
    }

    WebhookReceiver.Received first = WebhookEvents.await(receiver, waiting, "connection.linked");
    WebhookReceiver.Received second = WebhookEvents.await(receiver, abandoned, "connection.linked");
    assertThat(first.verified()).isTrue();
    assertThat(second.verified()).isTrue();
    // Not before the dead deliverer's claim ran out: nobody sends what someone else holds.
    assertThat(first.at()).isAfterOrEqualTo(claimEnds);
    assertThat(second.at()).isAfterOrEqualTo(claimEnds);
    assertThat(receiver.received(r -> r.id().equals(second.id()))).hasSize(1);
    Poll.until(
        "recorded as delivered",
        Duration.ofSeconds(10),
        () -> WebhookDelivery.DELIVERED.equals(rowsOf(abandoned).get(0).state));
    assertThat(rowsOf(abandoned).get(0).attempts).isEqualTo(2);
  }
}
