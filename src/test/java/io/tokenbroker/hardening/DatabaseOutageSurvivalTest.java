package io.tokenbroker.hardening;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionStore;
import io.tokenbroker.refresh.LeaseStore;
import io.tokenbroker.refresh.TokenRotation;
import io.tokenbroker.refresh.UnsavedRotations;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.Poll;
import io.tokenbroker.support.Readiness;
import io.tokenbroker.support.RestartablePostgres;
import io.tokenbroker.support.RestartablePostgresResource;
import io.tokenbroker.support.RestartablePostgresResource.InjectRestartablePostgres;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.RefreshTokenChain;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped and started again (same port, same data directory), or frozen, while callers
 * fetch tokens: callers whose connection the broker holds in memory keep their valid token; a
 * request that needs the database gets 503 {@code service_unavailable} with Retry-After; readiness
 * stays UP and reports the database unreachable, answering within a second; once the database is
 * back the broker recovers by itself, and no connection, token, audit row or rotated refresh token
 * is lost.
 *
 * <p>Runs on a database of its own ({@link RestartablePostgresResource}): the one every other test
 * shares must never go down under them.
 */
@QuarkusTest
@TestProfile(DatabaseOutageSurvivalTest.RestartableDatabase.class)
class DatabaseOutageSurvivalTest {

  private static final String CONSUMER = "svc-db-outage";

  /**
   * Short, so that the outage outlasts it: cached entries are then stale, and what callers get is
   * the last known snapshot served because the database cannot be read.
   */
  private static final Duration CACHE_TTL = Duration.ofSeconds(2);

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  /**
   * Longest any caller may wait while the database is down or hangs: the profile's acquisition
   * timeout (3 s) plus one connection attempt the pool retries, with room for a busy machine.
   */
  private static final Duration BOUNDED_WAIT = Duration.ofSeconds(15);

  /** A Quarkus start of its own: its own PostgreSQL, no global resources. */
  public static class RestartableDatabase implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(
          new TestResourceEntry(RestartablePostgresResource.class),
          new TestResourceEntry(CallerTokens.class),
          new TestResourceEntry(PinterestStandInResource.class, Map.of("preset", "pinterest")));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "broker.token.cache-ttl",
          CACHE_TTL.toString(),
          // The tests store unsaved rotations themselves (TokenRotation.storeUnsaved), so that
          // which path stored them is not left to the scheduler's timing.
          "broker.refresh.unsaved-retry-interval",
          "1h",
          // This server restarts in a quarter of a second, faster than any production restart or
          // failover; checking connections idle for more than 50 ms keeps the test about the
          // mechanism (dead pooled connections are replaced) rather than about timing.
          "quarkus.datasource.jdbc.foreground-validation-interval",
          "PT0.05S",
          // The bounds the Helm chart gives production (login 5 s, one round trip 30 s, waiting
          // for a connection 5 s), shortened so that the hang test takes seconds.
          "quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout",
          "2",
          "quarkus.datasource.jdbc.additional-jdbc-properties.loginTimeout",
          "2",
          "quarkus.datasource.jdbc.acquisition-timeout",
          "3S",
          // The test follows every token it was served to its own audit row through an outage.
          "broker.audit.issued-tokens",
          "each");
    }

    /** The shared PostgreSQL of every other test is exactly what this class must not use. */
    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  @InjectRestartablePostgres RestartablePostgres postgres;
  @Inject LeaseStore rows;
  @Inject ConnectionStore store;
  @Inject UnsavedRotations unsaved;
  @Inject TokenRotation rotation;
  @Inject MeterRegistry meters;

  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  @AfterEach
  void databaseIsBack() {
    postgres.thaw();
    postgres.startAgain();
  }

  @Test
  void databaseStoppedUnderLoadServesHeldTokensRefusesTheRestWith503AndRecoversWithNothingLost()
      throws Exception {
    List<LinkedAccounts.Linked> held = List.of(link(), link(), link());
    pinterest.accessTokenLifetime(Duration.ofSeconds(90));
    LinkedAccounts.Linked expiring = link();
    pinterest.accessTokenLifetime(Duration.ofDays(30));
    LinkedAccounts.Linked uncached = link();
    LinkedAccounts.Linked expired = link();
    expireAccessToken(expired.id());
    List<LinkedAccounts.Linked> all = new ArrayList<>(held);
    all.addAll(List.of(expiring, uncached, expired));
    // Held in memory before the outage: a token that lives 90 s, so a caller asking for 300 s
    // makes the broker try a refresh.
    fetch(expiring.id(), 0).statusCode(200);
    Map<UUID, ConnectionSnapshot> before = snapshots(all);

    CallerLoad load = CallerLoad.start(CONSUMER, ids(held), 4);
    List<CallerLoad.Answer> answers;
    long stoppedAt;
    long restartedAt;
    List<Long> auditBefore;
    try {
      load.awaitEachAnsweredAfter(System.nanoTime(), DEADLINE);
      auditBefore = auditIds();
      stoppedAt = System.nanoTime();
      postgres.stop();

      assertDatabaseUnavailable(uncached.id());
      assertDatabaseUnavailable(expired.id());
      fetch(expiring.id(), 300)
          .statusCode(200)
          .body("access_token", equalTo(expiring.grant().accessToken()));
      given()
          .auth()
          .oauth2(CallerTokens.admin())
          .post("/v1/connections/" + held.get(0).id() + "/refresh")
          .then()
          .statusCode(503)
          .body("code", equalTo("service_unavailable"));
      assertReadinessUpReportingTheDatabaseUnreachable();
      // Issued tokens' audit rows wait in the queue while the database is down.
      Poll.until("audit rows queue up", DEADLINE, () -> auditQueueDepth() > 0);
      given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
      // Past the cache TTL every held connection is served from the last known snapshot.
      load.awaitEachAnsweredAfter(stoppedAt + CACHE_TTL.toNanos(), DEADLINE);

      postgres.startAgain();
      restartedAt = System.nanoTime();
      Poll.until("readiness reports the database reachable again", DEADLINE, this::reachable);
      load.awaitEachAnsweredAfter(System.nanoTime(), DEADLINE);
    } finally {
      load.close();
    }
    answers = load.answers();
    Poll.until(
        "the audit queue drains once the database is back", DEADLINE, () -> auditQueueDepth() == 0);

    // Every caller of a held connection got its token: before, during and after the outage.
    assertHeldTokensServed(answers, held);
    long startedAt = stoppedAt;
    long endedAt = restartedAt;
    assertThat(answers)
        .filteredOn(a -> a.startedNanos() > startedAt && a.startedNanos() < endedAt)
        .as("answers while the database was down")
        .hasSizeGreaterThan(held.size());

    // Requests that needed the database are served again, with no restart of the broker.
    fetch(uncached.id(), 0)
        .statusCode(200)
        .body("access_token", equalTo(uncached.grant().accessToken()));
    String fromExpired = fetch(expired.id(), 0).statusCode(200).extract().path("access_token");
    String fromExpiring = fetch(expiring.id(), 300).statusCode(200).extract().path("access_token");
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(2);
    assertRotatedAndStored(expired, fromExpired);
    assertRotatedAndStored(expiring, fromExpiring);

    // Nothing lost: rows, tokens (the same, still decryptable), states, audit rows.
    for (LinkedAccounts.Linked linked : List.of(held.get(0), held.get(1), held.get(2), uncached)) {
      ConnectionSnapshot now = row(linked.id());
      ConnectionSnapshot then = before.get(linked.id());
      assertThat(now.accessTokenEnc()).isEqualTo(then.accessTokenEnc());
      assertThat(now.refreshTokenEnc()).isEqualTo(then.refreshTokenEnc());
      assertThat(store.openAccessToken(linked.id(), now.accessTokenEnc()))
          .isEqualTo(linked.grant().accessToken());
      assertThat(store.openRefreshToken(linked.id(), now.refreshTokenEnc()))
          .isEqualTo(linked.grant().refreshToken());
      assertThat(now.status()).isEqualTo(ConnectionStatus.ACTIVE);
    }
    assertThat(auditIds()).containsAll(auditBefore);
    List<String> served =
        answers.stream().map(CallerLoad.Answer::requestId).collect(Collectors.toList());
    Poll.until(
        "every token served has its audit row, those served during the outage included",
        DEADLINE,
        () -> issuedAuditRows(served).keySet().containsAll(served));
    assertThat(issuedAuditRows(served).values()).as("audit rows per request").containsOnly(1L);
    assertThat(unsaved.count()).isZero();
  }

  /**
   * A restart quicker than anyone notices (a minor-version upgrade, a config reload with restart):
   * the pool's connections from before are dead, and the callers after it must not be the ones who
   * find out.
   */
  @Test
  void databaseRestartedBetweenRequestsCostsTheNextCallersNothing() throws Exception {
    List<LinkedAccounts.Linked> warm = List.of(link(), link(), link(), link());
    List<LinkedAccounts.Linked> next = List.of(link(), link(), link(), link());
    // Concurrent reads leave several pooled connections behind.
    ExecutorService callers = Executors.newFixedThreadPool(warm.size());
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (LinkedAccounts.Linked linked : warm) {
        statuses.add(callers.submit(() -> fetch(linked.id(), 0).extract().statusCode()));
      }
      for (Future<Integer> status : statuses) {
        assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(200);
      }
    } finally {
      callers.shutdownNow();
    }

    postgres.stop();
    postgres.startAgain();

    for (LinkedAccounts.Linked linked : next) {
      fetch(linked.id(), 0)
          .statusCode(200)
          .body("access_token", equalTo(linked.grant().accessToken()));
    }
  }

  /**
   * A database that accepts connections and never answers (a hung server, or a network path that
   * drops packets without a reset): the pool's and the driver's timeouts end every wait, callers
   * with a held token keep getting it (only the one request at a time that probes the database
   * waits), a request that needs the database gets 503 within the acquisition timeout, and
   * everything recovers when the server answers again.
   */
  @Test
  void databaseThatHangsDoesNotHangCallers() throws Exception {
    List<LinkedAccounts.Linked> held = List.of(link(), link());
    LinkedAccounts.Linked uncached = link();
    for (LinkedAccounts.Linked linked : held) {
      fetch(linked.id(), 0).statusCode(200);
    }
    CallerLoad load = CallerLoad.start(CONSUMER, ids(held), 4);
    long frozenAt;
    long thawedAt;
    try {
      load.awaitEachAnsweredAfter(System.nanoTime(), DEADLINE);
      frozenAt = System.nanoTime();
      postgres.freeze();

      assertDatabaseUnavailable(uncached.id());
      // Every readiness answer comes within a second while the database hangs (Readiness).
      assertReadinessUpReportingTheDatabaseUnreachable();
      load.awaitEachAnsweredAfter(frozenAt + CACHE_TTL.toNanos(), DEADLINE);

      postgres.thaw();
      thawedAt = System.nanoTime();
      Poll.until("readiness reports the database reachable again", DEADLINE, this::reachable);
      load.awaitEachAnsweredAfter(System.nanoTime(), DEADLINE);
    } finally {
      load.close();
    }
    List<CallerLoad.Answer> answers = load.answers();
    assertHeldTokensServed(answers, held);
    long from = frozenAt;
    long to = thawedAt;
    List<CallerLoad.Answer> during =
        answers.stream().filter(a -> a.startedNanos() > from && a.startedNanos() < to).toList();
    assertThat(during).allSatisfy(a -> assertThat(a.took()).isLessThan(BOUNDED_WAIT));
    assertThat(during)
        .as("answers while the database hung that did not wait for it")
        .filteredOn(a -> a.took().compareTo(Duration.ofSeconds(1)) < 0)
        .hasSizeGreaterThan(during.size() / 2);
    fetch(uncached.id(), 0)
        .statusCode(200)
        .body("access_token", equalTo(uncached.grant().accessToken()));
  }

  @Test
  void rotationInFlightWhenTheDatabaseStopsIsKeptAndTheNextRefreshStoresItWithoutSpendingAgain()
      throws Exception {
    LinkedAccounts.Linked linked = link();
    expireAccessToken(linked.id());

    refreshWhileTheDatabaseGoesDown(linked);
    postgres.startAgain();

    String fresh = fetch(linked.id(), 0).statusCode(200).extract().path("access_token");
    assertThat(pinterest.tokenCalls("refresh_token")).as("no second upstream refresh").isEqualTo(1);
    assertThat(unsaved.count()).isZero();
    assertRotatedAndStored(linked, fresh);
  }

  @Test
  void rotationKeptInMemoryIsStoredByTheRetryOnceTheDatabaseIsBack() throws Exception {
    LinkedAccounts.Linked linked = link();
    expireAccessToken(linked.id());

    refreshWhileTheDatabaseGoesDown(linked);
    assertThat(rotation.storeUnsaved()).as("nothing can be stored while it is down").isZero();
    postgres.startAgain();

    assertThat(rotation.storeUnsaved()).isEqualTo(1);
    assertThat(unsaved.count()).isZero();
    RefreshTokenChain chain = pinterest.refreshChain(linked.grant().account().id());
    assertThat(storedRefreshToken(linked.id())).isEqualTo(chain.latest().orElseThrow());
    String fresh = fetch(linked.id(), 0).statusCode(200).extract().path("access_token");
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
    assertRotatedAndStored(linked, fresh);
  }

  /**
   * A caller's request makes the broker refresh; the provider rotates the refresh token and holds
   * its answer until PostgreSQL has stopped, so the broker cannot store what it gets. The caller
   * gets 503 and the new tokens are kept in memory.
   */
  private void refreshWhileTheDatabaseGoesDown(LinkedAccounts.Linked linked) throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    pinterest.enqueueTokenFaults(TokenEndpointFault.realAnswer().heldUntil(answer));
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<ExtractableResponse<Response>> inFlight =
          caller.submit(() -> fetch(linked.id(), 0).extract());
      assertThat(pinterest.awaitTokenCalls(1, DEADLINE)).isTrue();
      postgres.stop();
      answer.countDown();
      ExtractableResponse<Response> refused = inFlight.get(60, TimeUnit.SECONDS);
      assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(503);
      assertThat(refused.<String>path("code")).isEqualTo("service_unavailable");
      assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
    } finally {
      answer.countDown();
      caller.shutdownNow();
    }
    RefreshTokenChain chain = pinterest.refreshChain(linked.grant().account().id());
    assertThat(chain.used()).containsExactly(linked.grant().refreshToken());
    assertThat(chain.issued()).hasSize(2);
    assertThat(unsaved.count()).isEqualTo(1);
  }

  // --- helpers -----------------------------------------------------------------------------

  private LinkedAccounts.Linked link() {
    return LinkedAccounts.linkNew(pinterest, "db-outage", CONSUMER);
  }

  /**
   * The connection holds the token it served, newly rotated and live upstream; the refresh token
   * chain is intact (nothing presented twice, nothing refused) and a forced refresh with the stored
   * refresh token works.
   */
  private void assertRotatedAndStored(LinkedAccounts.Linked linked, String served) {
    assertThat(served).isNotEqualTo(linked.grant().accessToken());
    assertThat(pinterest.isAccessTokenLive(served)).isTrue();
    ConnectionSnapshot now = row(linked.id());
    assertThat(now.status()).isEqualTo(ConnectionStatus.ACTIVE);
    assertThat(store.openAccessToken(linked.id(), now.accessTokenEnc())).isEqualTo(served);
    RefreshTokenChain chain = pinterest.refreshChain(linked.grant().account().id());
    assertThat(storedRefreshToken(linked.id())).isEqualTo(chain.latest().orElseThrow());
    assertThat(chain.eachPresentedAtMostOnce()).isTrue();
    assertThat(chain.refusedPresentations()).isZero();
    int calls = pinterest.tokenCalls("refresh_token");
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .post("/v1/connections/" + linked.id() + "/refresh")
        .then()
        .statusCode(200);
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(calls + 1);
    assertThat(pinterest.refreshChain(linked.grant().account().id()).refusedPresentations())
        .isZero();
  }

  /** Every answer the callers got was 200 with the token their connection holds. */
  private static void assertHeldTokensServed(
      List<CallerLoad.Answer> answers, List<LinkedAccounts.Linked> held) {
    Map<UUID, String> tokens =
        held.stream()
            .collect(Collectors.toMap(LinkedAccounts.Linked::id, l -> l.grant().accessToken()));
    assertThat(answers)
        .allSatisfy(
            a -> {
              assertThat(a.status()).as(a.toString()).isEqualTo(200);
              assertThat(a.accessToken()).isEqualTo(tokens.get(a.connection()));
            });
  }

  /** 503 service_unavailable with Retry-After, quickly, and nothing of the failure's internals. */
  private static void assertDatabaseUnavailable(UUID id) {
    long started = System.nanoTime();
    String body =
        fetch(id, 0)
            .statusCode(503)
            .contentType(startsWith("application/problem+json"))
            .body("code", equalTo("service_unavailable"))
            .header("Retry-After", equalTo("5"))
            .extract()
            .asString();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUNDED_WAIT);
    assertThat(body.toLowerCase())
        .doesNotContain("sql", "jdbc", "postgres", "exception", "org.", "java.", "localhost");
  }

  private static ValidatableResponse fetch(UUID id, int minTtlSeconds) {
    return given()
        .auth()
        .oauth2(CallerTokens.token(CONSUMER, "token-consumer"))
        .contentType("application/json")
        .body("{\"min_ttl_seconds\":" + minTtlSeconds + "}")
        .post("/v1/connections/" + id + "/access-token")
        .then();
  }

  private ConnectionSnapshot row(UUID id) {
    return rows.read(id).orElseThrow();
  }

  private String storedRefreshToken(UUID id) {
    return store.openRefreshToken(id, row(id).refreshTokenEnc());
  }

  private Map<UUID, ConnectionSnapshot> snapshots(List<LinkedAccounts.Linked> linked) {
    return linked.stream()
        .map(l -> row(l.id()))
        .collect(Collectors.toMap(ConnectionSnapshot::id, Function.identity()));
  }

  private static List<UUID> ids(List<LinkedAccounts.Linked> linked) {
    return linked.stream().map(LinkedAccounts.Linked::id).toList();
  }

  private static List<Long> auditIds() {
    return QuarkusTransaction.requiringNew()
        .call(() -> AuditEvent.<AuditEvent>listAll().stream().map(e -> e.id).toList());
  }

  /** How many {@code token.issued} rows each of these request ids has. */
  private static Map<String, Long> issuedAuditRows(List<String> requestIds) {
    Set<String> wanted = Set.copyOf(requestIds);
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                AuditEvent.<AuditEvent>list("action = ?1 and actor = ?2", "token.issued", CONSUMER)
                    .stream()
                    .filter(e -> wanted.contains(e.requestId))
                    .collect(
                        Collectors.groupingBy(
                            e -> e.requestId, HashMap::new, Collectors.counting())));
  }

  private static void expireAccessToken(UUID id) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Connection.update(
                    "accessTokenExpiresAt = ?1, lastRefreshedAt = ?2 where id = ?3",
                    Instant.now().minusSeconds(5),
                    Instant.now().minusSeconds(600),
                    id));
  }

  /** broker_audit_queue_depth as exported. */
  private double auditQueueDepth() {
    return meters.get("broker.audit.queue.depth").gauge().value();
  }

  /** What readiness says of the database; the check itself stays UP through an outage. */
  private boolean reachable() {
    return Readiness.reachable("database");
  }

  /**
   * Readiness is served from a background check: the outage shows within about one answer timeout,
   * every answer meanwhile within a second, and the whole document stays UP.
   */
  private void assertReadinessUpReportingTheDatabaseUnreachable() {
    Poll.until("readiness reports the database unreachable", DEADLINE, () -> !reachable());
    JsonPath ready = Readiness.askPromptly();
    assertThat(ready.getString("status")).isEqualTo("UP");
    assertThat(ready.getString("checks.find { it.name == 'database' }.status")).isEqualTo("UP");
  }
}
