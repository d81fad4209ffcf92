package io.tokenbroker.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hot path serves connections from memory, and changes written by another replica reach that
 * memory through the change feed. "Another replica" is a plain SQL write here, made the way
 * Hibernate on any replica writes a connection: new version, new {@code updated_at}.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class TokenCacheChangeFeedTest {

  private static final String CONSUMER = "svc-cache";
  private static final String OTHER = "svc-cache-other";

  @Inject TokenCache cache;
  @Inject ConnectionChangeFeed feed;
  @Inject EntityManager em;

  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  private static ValidatableResponse fetch(String caller, UUID id) {
    return given()
        .auth()
        .oauth2(CallerTokens.token(caller, "token-consumer"))
        .contentType("application/json")
        .body("{}")
        .post("/v1/connections/" + id + "/access-token")
        .then();
  }

  /** What another replica's write of the row leaves in the database. */
  private void writtenElsewhere(UUID id, String sql) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              em.createNativeQuery(sql).setParameter(1, id).executeUpdate();
              em.createNativeQuery(
                      "update connection set version = version + 1, updated_at = ? where id = ?")
                  .setParameter(1, Instant.now())
                  .setParameter(2, id)
                  .executeUpdate();
            });
  }

  @Test
  void callerRemovedOnAnotherReplicaIsRefusedAfterTheNextChangePoll() {
    var linked = LinkedAccounts.link(pinterest, "cache-removed", CONSUMER, OTHER);
    fetch(CONSUMER, linked.id()).statusCode(200);
    assertThat(cache.get(linked.id())).isPresent();

    writtenElsewhere(
        linked.id(),
        "delete from connection_caller where connection_id = ?1 and caller = '" + CONSUMER + "'");
    feed.poll();

    assertThat(cache.get(linked.id())).isEmpty();
    fetch(CONSUMER, linked.id()).statusCode(404).body("code", equalTo("not_found"));
    fetch(OTHER, linked.id()).statusCode(200);
  }

  @Test
  void connectionRevokedOnAnotherReplicaIsNoLongerServedAfterTheNextChangePoll() {
    var linked = LinkedAccounts.link(pinterest, "cache-revoked", CONSUMER);
    fetch(CONSUMER, linked.id()).statusCode(200);

    writtenElsewhere(linked.id(), "update connection set status = 'revoked' where id = ?1");
    feed.poll();

    fetch(CONSUMER, linked.id()).statusCode(404);
  }

  @Test
  void cachedConnectionIsServedWithoutReadingTheRowAgain() {
    var linked = LinkedAccounts.link(pinterest, "cache-hit", CONSUMER);
    fetch(CONSUMER, linked.id()).statusCode(200);
    // A change that bypasses the feed (no new version, no new updated_at) is invisible to a
    // cached connection: proof that the request was answered from memory, not from the row.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery("update connection set status = 'revoked' where id = ?1")
                    .setParameter(1, linked.id())
                    .executeUpdate());
    feed.poll();

    fetch(CONSUMER, linked.id())
        .statusCode(200)
        .body("access_token", equalTo(linked.grant().accessToken()));
    cache.invalidate(linked.id());
    fetch(CONSUMER, linked.id()).statusCode(404);
  }

  @Test
  void unchangedConnectionsKeepTheirCacheEntryAcrossPolls() {
    var linked = LinkedAccounts.link(pinterest, "cache-kept", CONSUMER);
    fetch(CONSUMER, linked.id()).statusCode(200);
    var before = cache.get(linked.id()).orElseThrow();

    feed.poll();
    feed.poll();

    assertThat(cache.get(linked.id())).containsSame(before);
  }
}
