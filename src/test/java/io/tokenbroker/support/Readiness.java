package io.tokenbroker.support;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;

/**
 * Asks {@code /q/health/ready} as a Kubernetes probe would, and insists on an answer within the
 * one-second budget that readiness keeps whatever PostgreSQL or Vault do (docs/operations.md §2.1).
 */
public final class Readiness {

  /** The budget of one readiness answer; the chart's probe timeout is 3 s. */
  public static final Duration BUDGET = Duration.ofSeconds(1);

  private Readiness() {}

  /** The readiness document; fails when the answer took longer than {@link #BUDGET}. */
  public static JsonPath askPromptly() {
    long started = System.nanoTime();
    Response response = given().get("/q/health/ready");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).as("readiness answer time").isLessThan(BUDGET);
    assertThat(response.statusCode()).isIn(200, 503);
    return response.jsonPath();
  }

  /** One check's part of the readiness document: {@code status} and {@code data.*}. */
  public static JsonPath check(String name) {
    JsonPath all = askPromptly();
    return new JsonPath(all.prettify()).setRootPath("checks.find { it.name == '" + name + "' }");
  }

  /** Whether the named check currently reports its dependency reachable. */
  public static boolean reachable(String name) {
    return Boolean.TRUE.equals(check(name).get("data.reachable"));
  }
}
