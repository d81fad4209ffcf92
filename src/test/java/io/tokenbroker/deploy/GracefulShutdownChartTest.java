package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stopping pod gets time to stop being routed to, then to finish its in-flight refreshes and
 * write their rotations: the grace period always covers the preStop delay plus the broker's own
 * shutdown bound.
 */
class GracefulShutdownChartTest {

  @Test
  void preStopDelayThenTheBrokersShutdownBoundFitInsideTheGracePeriod() {
    Manifests manifests = Chart.render();
    JsonNode container = manifests.brokerContainer();

    assertThat(container.path("lifecycle").path("preStop").path("exec").path("command"))
        .extracting(JsonNode::asText)
        .containsExactly("sleep", "5");
    assertThat(
            Manifests.element(container.path("env"), "name", "QUARKUS_SHUTDOWN_TIMEOUT")
                .path("value")
                .asText())
        .isEqualTo("40s");
    assertThat(manifests.podSpec().path("terminationGracePeriodSeconds").asInt()).isEqualTo(55);
  }

  @Test
  void gracePeriodFollowsTheShutdownValues() {
    Manifests manifests =
        Chart.render(Map.of("shutdown.preStopDelaySeconds", 10, "shutdown.timeoutSeconds", 60));

    assertThat(manifests.podSpec().path("terminationGracePeriodSeconds").asInt()).isEqualTo(80);
    assertThat(
            Manifests.element(
                    manifests.brokerContainer().path("env"), "name", "QUARKUS_SHUTDOWN_TIMEOUT")
                .path("value")
                .asText())
        .isEqualTo("60s");
  }

  @Test
  void anExplicitGracePeriodThatCoversTheShutdownIsKept() {
    Manifests manifests = Chart.render(Map.of("terminationGracePeriodSeconds", 120));

    assertThat(manifests.podSpec().path("terminationGracePeriodSeconds").asInt()).isEqualTo(120);
  }

  @Test
  void aGracePeriodShorterThanTheShutdownIsRefused() {
    assertThatThrownBy(() -> Chart.render(Map.of("terminationGracePeriodSeconds", 20)))
        .hasMessageContaining("terminationGracePeriodSeconds")
        .hasMessageContaining("45");
  }
}
