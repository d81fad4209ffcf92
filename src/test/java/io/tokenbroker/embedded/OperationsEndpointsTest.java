package io.tokenbroker.embedded;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The probes and documents operators wire into Kubernetes and their tooling. */
@QuarkusTest
class OperationsEndpointsTest {

  @Test
  void readinessReportsTheDatabaseReachable() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem("database"))
        .body("checks.find { it.name == 'database' }.data.reachable", equalTo(true));
  }

  @Test
  void livenessAndStartupProbesAnswerUp() {
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void openApiDocumentDescribesTheV1Api() {
    given()
        .accept("application/json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths.keySet()", hasItem("/v1/connections"));
  }

  @Test
  void prometheusMetricsAreExported() {
    given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
  }
}
