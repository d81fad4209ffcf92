package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenbroker.support.BrokerProcess;
import io.tokenbroker.support.BrokerSettings;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.Poll;
import io.tokenbroker.support.RestartablePostgres;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.RefreshTokenChain;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling deploy as Kubernetes does it: the packaged broker runs as a process of its own, a
 * scheduled refresh is in flight, the provider has already rotated the refresh token and holds its
 * answer, and the broker gets a real SIGTERM. The stand-in's refresh tokens are strictly single
 * use: a restarted broker that presented the spent one would be told the grant is dead, and the
 * test fails on that refusal.
 */
class SigtermDuringRefreshIT {

  /** The chart's terminationGracePeriodSeconds (preStop 5 s + shutdown 40 s + 10 s). */
  private static final Duration GRACE = Duration.ofSeconds(55);

  /** A broker start on a busy build machine, flyway included. */
  private static final Duration START = Duration.ofSeconds(120);

  private static final Duration BOUND = Duration.ofSeconds(30);

  /** The JVM's exit status after a SIGTERM it handled with its shutdown hooks: 128 + 15. */
  private static final int EXIT_AFTER_SIGTERM = 143;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path work;

  private RestartablePostgres postgres;
  private PinterestStandIn pinterest;
  private int port;
  private BrokerProcess broker;

  @BeforeEach
  void startDependencies() {
    postgres = RestartablePostgres.start();
    pinterest = new PinterestStandIn().start();
    port = BrokerProcess.freePort();
    pinterest.registerRedirectUri(callback());
  }

  @AfterEach
  void stopEverything() {
    if (broker != null) {
      broker.close();
    }
    pinterest.close();
    postgres.close();
  }

  @Test
  void sigtermWhileTheProviderHoldsARotatedAnswerWritesItBeforeExitingAndTheChainHolds()
      throws Exception {
    broker = startBroker("a-first");
    Linked linked = importGrant("sigterm-db-up");
    CountDownLatch answer = new CountDownLatch(1);
    heldScheduledRefresh(linked, answer);

    broker.terminate();
    awaitDrainStarted();
    answer.countDown();

    assertThat(broker.awaitExit(GRACE)).isEqualTo(EXIT_AFTER_SIGTERM);
    assertThat(broker.lines()).noneMatch(line -> line.contains("still in flight"));
    RefreshTokenChain chain = chain(linked);
    assertThat(chain.issued()).hasSize(3);
    assertThat(spoolFile(linked)).doesNotExist();
    assertThat(lastRefreshedAfterItWasDue(linked)).as("rotation written before exit").isTrue();

    broker = startBroker("a-restarted");
    assertNextRefreshPresentsTheNewTokenAndStaysActive(linked, chain.latest().orElseThrow());
  }

  @Test
  void sigtermWhileTheDatabaseIsDownKeepsTheRotationInTheSpoolAndTheNextStartStoresIt()
      throws Exception {
    broker = startBroker("b-first");
    Linked linked = importGrant("sigterm-db-down");
    CountDownLatch answer = new CountDownLatch(1);
    heldScheduledRefresh(linked, answer);

    postgres.stop();
    broker.terminate();
    awaitDrainStarted();
    answer.countDown();

    String refused =
        broker.awaitLine(
            "an ERROR naming the connection whose rotation the database refused",
            GRACE,
            line ->
                line.contains("ERROR")
                    && line.contains(linked.id().toString())
                    && line.contains("the database refused the rotated tokens"));
    assertThat(refused).contains("spool");
    assertThat(broker.awaitExit(GRACE)).isEqualTo(EXIT_AFTER_SIGTERM);
    Path spooled = spoolFile(linked);
    assertThat(spooled).exists();
    String rotated = chain(linked).latest().orElseThrow();
    assertThat(Files.readString(spooled)).doesNotContain(rotated);

    postgres.startAgain();
    broker = startBroker("b-restarted");
    Poll.until("the spooled rotation stored and its file deleted", BOUND, () -> !exists(spooled));
    assertNextRefreshPresentsTheNewTokenAndStaysActive(linked, rotated);
  }

  // --- steps ---------------------------------------------------------------------------------

  private record Linked(UUID id, IssuedTokens grant) {}

  /** Imports a grant the stand-in minted (the import refreshes it once: the chain's first link). */
  private Linked importGrant(String username) throws Exception {
    IssuedTokens grant = pinterest.issueGrant(username, "boards:read", "user_accounts:read");
    String body =
        JSON.writeValueAsString(
            Map.of(
                "provider",
                "pinterest",
                "refresh_token",
                grant.refreshToken(),
                "allowed_callers",
                new String[0]));
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(broker.uri("/v1/connections/import"))
                .header("Authorization", "Bearer " + CallerTokens.admin())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode view = JSON.readTree(created.body());
    return new Linked(UUID.fromString(view.get("id").asText()), grant);
  }

  /**
   * Makes the connection due; the scheduled refresher presents its refresh token, and the stand-in
   * rotates at once but answers only when {@code answer} opens.
   */
  private void heldScheduledRefresh(Linked linked, CountDownLatch answer) throws Exception {
    int before = pinterest.tokenCalls();
    pinterest.enqueueTokenFaults(TokenEndpointFault.realAnswer().heldUntil(answer));
    sql("update connection set access_token_expires_at = now() where id = ?", linked.id());
    assertThat(pinterest.awaitTokenCalls(before + 1, BOUND)).isTrue();
    Poll.until("the provider rotated", BOUND, () -> chain(linked).used().size() == 2);
  }

  /** The broker has begun its shutdown and its refresher waits for the refresh in flight. */
  private void awaitDrainStarted() {
    broker.awaitLine(
        "that the refresher waits for its refreshes in flight",
        BOUND,
        line -> line.contains("refresher: stopping; waiting up to"));
  }

  /**
   * Makes the connection due again: the next scheduled refresh must present the token the provider
   * issued during the shutdown, be accepted, and leave the connection active.
   */
  private void assertNextRefreshPresentsTheNewTokenAndStaysActive(Linked linked, String rotated)
      throws Exception {
    int usedBefore = chain(linked).used().size();
    sql("update connection set access_token_expires_at = now() where id = ?", linked.id());
    Poll.until(
        "the next scheduled refresh written",
        BOUND,
        () -> chain(linked).used().size() > usedBefore && lastRefreshedAfterItWasDue(linked));
    RefreshTokenChain chain = chain(linked);
    assertThat(chain.used().get(usedBefore)).as("the token presented next").isEqualTo(rotated);
    assertThat(chain.refusedPresentations()).as("spent refresh tokens presented").isZero();
    assertThat(chain.eachPresentedAtMostOnce()).isTrue();
    assertThat(pinterest.invalidGrantRefusals()).isZero();
    assertThat(status(linked)).isEqualTo("active");
  }

  // --- the broker and its surroundings --------------------------------------------------------

  private BrokerProcess startBroker(String name) {
    Map<String, String> settings = BrokerSettings.of(postgres, pinterest, work, port);
    // The chart's bounds on a database that is gone, shortened.
    settings.put("quarkus.datasource.jdbc.acquisition-timeout", "3S");
    settings.put("quarkus.datasource.jdbc.additional-jdbc-properties.loginTimeout", "2");
    settings.put("quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout", "5");
    settings.put("broker.refresh.unsaved-rotations-dir", spoolDirectory().toString());
    settings.put("broker.refresh.interval", "1s");
    settings.put("broker.refresh.initial-delay", "1s");
    settings.put("broker.refresh.jitter", "PT0S");
    BrokerProcess started = BrokerProcess.start(name, port, settings);
    started.awaitReady(START);
    return started;
  }

  private String callback() {
    return "http://localhost:" + port + "/v1/oauth/callback";
  }

  private Path spoolDirectory() {
    return work.resolve("unsaved-rotations");
  }

  private Path spoolFile(Linked linked) {
    return spoolDirectory().resolve(linked.id() + ".rotation");
  }

  private static boolean exists(Path file) {
    return Files.exists(file);
  }

  private RefreshTokenChain chain(Linked linked) {
    return pinterest.refreshChain(linked.grant().account().id());
  }

  /** Whether the refresher wrote the row since the test made it due (it sets the expiry to now). */
  private boolean lastRefreshedAfterItWasDue(Linked linked) {
    try {
      return "true"
          .equals(
              query(
                  "select (access_token_expires_at > now() + interval '1 day')::text"
                      + " from connection where id = ?",
                  linked.id()));
    } catch (SQLException e) {
      return false;
    }
  }

  private String status(Linked linked) throws SQLException {
    return query("select status from connection where id = ?", linked.id());
  }

  private Connection database() throws SQLException {
    return DriverManager.getConnection(
        postgres.jdbcUrl(), RestartablePostgres.USER, RestartablePostgres.USER);
  }

  private void sql(String statement, UUID id) throws SQLException {
    try (Connection c = database();
        PreparedStatement s = c.prepareStatement(statement)) {
      s.setObject(1, id);
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
  }

  private String query(String statement, UUID id) throws SQLException {
    try (Connection c = database();
        PreparedStatement s = c.prepareStatement(statement)) {
      s.setObject(1, id);
      try (ResultSet rows = s.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }
}
