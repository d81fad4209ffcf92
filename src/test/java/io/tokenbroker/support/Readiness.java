package io.tokenbroker.support;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Asks {@code /q/health/ready} as a Kubernetes probe would, and checks the one-second budget that
 * readiness keeps whatever PostgreSQL or Vault do (docs/operations.md §2.1).
 */
public final class Readiness {

  /** The budget of one readiness answer; the chart's probe timeout is 3 s. */
  public static final Duration BUDGET = Duration.ofSeconds(1);

  private static final int SAMPLES = 5;

  private Readiness() {}

  /**
   * Asks several times and returns the last document; fails unless the median answer came within
   * {@link #BUDGET}. A readiness that waited on a hung dependency took its timeout (2 s and more)
   * on every answer; the median keeps one answer that a starved build machine delayed from failing
   * the test.
   */
  public static JsonPath askPromptly() {
    List<Duration> took = new ArrayList<>();
    Response response = null;
    for (int i = 0; i < SAMPLES; i++) {
      long started = System.nanoTime();
      response = given().get("/q/health/ready");
      took.add(Duration.ofNanos(System.nanoTime() - started));
      assertThat(response.statusCode()).isIn(200, 503);
    }
    List<Duration> sorted = new ArrayList<>(took);
    Collections.sort(sorted);
    assertThat(sorted.get(SAMPLES / 2))
        .as("median readiness answer time of %s", took)
        .isLessThan(BUDGET);
    return response.jsonPath();
  }

  /** One check's part of the current readiness document: {@code status} and {@code data.*}. */
  public static JsonPath check(String name) {
    JsonPath all = given().get("/q/health/ready").jsonPath();
    return new JsonPath(all.prettify()).setRootPath("checks.find { it.name == '" + name + "' }");
  }

  /** Whether the named check currently reports its dependency reachable. */
  public static boolean reachable(String name) {
    return Boolean.TRUE.equals(check(name).get("data.reachable"));
  }
}
