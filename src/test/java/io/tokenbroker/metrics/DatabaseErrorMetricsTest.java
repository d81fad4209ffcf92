package io.tokenbroker.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import org.junit.jupiter.api.Test;

/** Database and Vault errors are counted where they surface. */
@QuarkusTest
// The Pinterest stand-in set up as for LinkPinterestAccountTest, but shared: every observability
// test class runs against one application (restrictToAnnotatedClass would restart it per class).
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class DatabaseErrorMetricsTest {

  @Test
  void statementThePostgresRefusesCountsOneDatabaseError() {
    Scrape before = Scrape.now();

    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .post("/v1/test/database-failure")
        .then()
        .statusCode(500)
        .body("code", org.hamcrest.Matchers.equalTo("internal_error"));

    assertThat(Scrape.now().since(before, "broker_database_errors_total")).isEqualTo(1);
  }

  @Test
  void vaultErrorSeriesExistAtZeroForEveryOperationBeforeAnyFailure() {
    Scrape scrape = Scrape.now();

    for (String operation : new String[] {"kv_read", "wrap", "unwrap", "rewrap", "token_lookup"}) {
      assertThat(scrape.find("broker_vault_errors_total", "operation", operation))
          .as(operation)
          .isPresent();
    }
  }
}
