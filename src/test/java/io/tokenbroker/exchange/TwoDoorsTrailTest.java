package io.tokenbroker.exchange;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * One path for the logic, two doors: the same requests through the broker's own API and through the
 * token exchange leave the same audit rows and move the same meters.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class TwoDoorsTrailTest {

  private static final String CONSUMER = "svc-two-doors";
  private static final String APP = "svc-app";
  // An app-token scope set no other test asks for: app tokens stay in memory across tests.
  private static final String APP_SCOPE = "user_accounts:read";

  @Inject AuditTrail audit;
  @Inject MeterRegistry registry;

  /** What one audit row says, without its id, time and request id. */
  record Row(
      String actor,
      String action,
      String outcome,
      String provider,
      UUID connectionId,
      String detail) {}

  /** The same eight requests, as one door asks them: what each answered. */
  private interface Door {
    ValidatableResponse connection(String callerJwt, UUID id, String scope, Integer minTtl);

    ValidatableResponse app(String callerJwt, String scope);
  }

  private static final Door BROKER_API =
      new Door() {
        @Override
        public ValidatableResponse connection(
            String callerJwt, UUID id, String scope, Integer minTtl) {
          String body =
              "{"
                  + (scope == null ? "" : "\"scopes\":[\"" + scope + "\"]")
                  + (minTtl == null ? "" : "\"min_ttl_seconds\":" + minTtl)
                  + "}";
          return given()
              .auth()
              .oauth2(callerJwt)
              .contentType("application/json")
              .body(body)
              .post("/v1/connections/" + id + "/access-token")
              .then();
        }

        @Override
        public ValidatableResponse app(String callerJwt, String scope) {
          return given()
              .auth()
              .oauth2(callerJwt)
              .contentType("application/json")
              .body("{\"scopes\":[\"" + scope + "\"]}")
              .post("/v1/providers/pinterest/client-token")
              .then();
        }
      };

  private static final Door TOKEN_EXCHANGE =
      new Door() {
        @Override
        public ValidatableResponse connection(
            String callerJwt, UUID id, String scope, Integer minTtl) {
          List<String> pairs =
              new java.util.ArrayList<>(List.of("resource", Exchange.connection(id)));
          if (scope != null) {
            pairs.addAll(List.of("scope", scope));
          }
          if (minTtl != null) {
            pairs.addAll(List.of("min_ttl_seconds", minTtl.toString()));
          }
          return Exchange.subject(callerJwt, pairs.toArray(String[]::new));
        }

        @Override
        public ValidatableResponse app(String callerJwt, String scope) {
          return Exchange.bearer(
              callerJwt, "resource", Exchange.provider("pinterest"), "scope", scope);
        }
      };

  @Test
  void sameRequestsThroughEitherDoorLeaveTheSameAuditRowsAndMetrics() {
    PinterestStandIn pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    UUID usable = LinkedAccounts.linkNew(pinterest, "two-doors", CONSUMER).id();
    UUID dead = LinkedAccounts.linkNew(pinterest, "two-doors-dead", CONSUMER).id();
    Exchange.status(dead, ConnectionStatus.REAUTHORIZATION_REQUIRED);
    UUID unknown = UUID.randomUUID();
    // Both runs then find the app token held: neither makes an upstream call.
    BROKER_API.app(CallerTokens.token(APP, "token-consumer"), APP_SCOPE).statusCode(200);

    Trail api =
        run(BROKER_API, usable, dead, unknown, List.of(200, 404, 403, 404, 409, 200, 403, 400));
    Trail exchange =
        run(TOKEN_EXCHANGE, usable, dead, unknown, List.of(200, 400, 400, 400, 400, 200, 400, 400));

    assertThat(api.audit()).hasSize(6);
    assertThat(exchange.audit()).isEqualTo(api.audit());
    assertThat(api.meters())
        .containsEntry("broker.token.request kind=connection outcome=issued provider=pinterest", 1L)
        .containsEntry(
            "broker.token.request kind=connection outcome=not_found provider=pinterest", 1L)
        .containsEntry(
            "broker.token.request kind=connection outcome=not_found provider=unknown", 1L)
        .containsEntry("broker.token.request kind=client outcome=issued provider=pinterest", 1L)
        .containsEntry("broker.token.request kind=connection outcome=denied provider=pinterest", 1L)
        .containsEntry(
            "broker.token.request kind=connection outcome=invalid_request provider=pinterest", 1L);
    assertThat(exchange.meters()).isEqualTo(api.meters());
  }

  record Trail(List<Row> audit, Map<String, Long> meters) {}

  private Trail run(Door door, UUID usable, UUID dead, UUID unknown, List<Integer> statuses) {
    audit.flush();
    long lastRow = lastAuditId();
    Map<String, Long> before = meters();
    String consumer = CallerTokens.token(CONSUMER, "token-consumer");
    List<ValidatableResponse> answers =
        List.of(
            door.connection(consumer, usable, "boards:read", null),
            door.connection(
                CallerTokens.token("svc-stranger", "token-consumer"), usable, null, null),
            door.connection(consumer, usable, "ads:write", null),
            door.connection(consumer, unknown, null, null),
            door.connection(consumer, dead, null, null),
            door.app(CallerTokens.token(APP, "token-consumer"), APP_SCOPE),
            door.connection(CallerTokens.token(CONSUMER, "reporting"), usable, null, null),
            door.connection(consumer, usable, null, 90_000));
    for (int i = 0; i < answers.size(); i++) {
      answers.get(i).statusCode(statuses.get(i));
    }
    audit.flush();
    Map<String, Long> after = meters();
    Map<String, Long> grew = new TreeMap<>();
    after.forEach(
        (meter, count) -> {
          long delta = count - before.getOrDefault(meter, 0L);
          if (delta != 0) {
            grew.put(meter, delta);
          }
        });
    return new Trail(auditSince(lastRow), grew);
  }

  private static long lastAuditId() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                AuditEvent.<AuditEvent>find("order by id desc")
                    .firstResultOptional()
                    .map(e -> e.id)
                    .orElse(0L));
  }

  /** This test's rows: its connections and callers, so rows of other work cannot mix in. */
  private static List<Row> auditSince(long lastRow) {
    Function<AuditEvent, Row> row =
        e -> new Row(e.actor, e.action, e.outcome, e.provider, e.connectionId, e.detail);
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                AuditEvent.<AuditEvent>list(
                        "id > ?1 and actor in ?2 order by id",
                        lastRow,
                        List.of(CONSUMER, APP, "svc-stranger"))
                    .stream()
                    .map(row)
                    .toList());
  }

  /** Every token-request and upstream-call timer, by name and tags (sorted by key), and count. */
  private Map<String, Long> meters() {
    Map<String, Long> counts = new TreeMap<>();
    for (String name : List.of("broker.token.request", "broker.upstream.request")) {
      for (Timer timer : registry.find(name).timers()) {
        StringBuilder key = new StringBuilder(name);
        timer
            .getId()
            .getTags()
            .forEach(t -> key.append(' ').append(t.getKey()).append('=').append(t.getValue()));
        counts.put(key.toString(), timer.count());
      }
    }
    return counts;
  }
}
