package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The chart's `helm test` pod, run for real: its script goes to the running broker the way it would
 * go to the Service, and to a broker that is not ready.
 */
@QuarkusTest
class HelmTestHookTest {

  private static JsonNode hook() {
    return Chart.testHooks(Map.of()).one("Pod").path("spec").path("containers").get(0);
  }

  @Test
  void testPodTemplateIsAHelmTestHook() {
    assertThat(Chart.file("templates/tests/test-readiness.yaml"))
        .contains("helm.sh/hook: test")
        .contains("helm.sh/hook-delete-policy:");
  }

  private record Run(int exitCode, String output) {}

  private static Run runAgainst(int port) throws Exception {
    JsonNode container = hook();
    assertThat(container.path("command").get(0).asText()).isEqualTo("bash");
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", container.path("command").get(2).asText())
            .redirectErrorStream(true);
    builder.environment().put("BROKER_HOST", "localhost");
    builder.environment().put("BROKER_PORT", Integer.toString(port));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the check finishes").isTrue();
    return new Run(process.exitValue(), output);
  }

  @Test
  void hookPassesAgainstAReadyBrokerThatExportsItsMetrics() throws Exception {
    Run run = runAgainst(RestAssured.port);

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("readiness: UP");
  }

  @Test
  void hookFailsWhenTheBrokerIsNotReady() throws Exception {
    HttpServer notReady = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    notReady.createContext(
        "/",
        exchange -> {
          byte[] body = "{\"status\":\"DOWN\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(503, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          } catch (IOException e) {
            // the script may close early; the status line is all it reads
          }
        });
    notReady.start();
    try {
      Run run = runAgainst(notReady.getAddress().getPort());

      assertThat(run.exitCode()).isNotZero();
      assertThat(run.output()).contains("readiness is not UP").contains("503");
    } finally {
      notReady.stop(0);
    }
  }

  @Test
  void hookPodRunsRestrictedLikeTheBroker() {
    JsonNode pod = Chart.testHooks(Map.of()).one("Pod").path("spec");

    assertThat(pod.path("automountServiceAccountToken").asBoolean()).isFalse();
    JsonNode security = pod.path("containers").get(0).path("securityContext");
    assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("capabilities").path("drop"))
        .extracting(JsonNode::asText)
        .contains("ALL");
  }
}
