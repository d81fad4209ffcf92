package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every selector in the chart picks the broker pods, and every reference names a real object. */
class SelectorWiringTest {

  static List<Path> ciValuesFiles() {
    return Chart.ciValuesFiles();
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void deploymentServiceAndDisruptionBudgetSelectThePodLabels(Path valuesFile) {
    Manifests manifests = Chart.render(valuesFile);
    Map<String, String> podLabels = manifests.podLabels();

    assertThat(podLabels)
        .containsAllEntriesOf(
            Manifests.matchLabels(manifests.deployment().path("spec").path("selector")))
        .containsAllEntriesOf(
            Manifests.strings(manifests.one("Service").path("spec").path("selector")))
        .containsAllEntriesOf(
            Manifests.matchLabels(
                manifests.one("PodDisruptionBudget").path("spec").path("selector")));
    assertThat(podLabels).containsKeys("app.kubernetes.io/name", "app.kubernetes.io/instance");
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void serviceForwardsToTheContainersHttpPort(Path valuesFile) {
    Manifests manifests = Chart.render(valuesFile);

    JsonNode port = manifests.one("Service").path("spec").path("ports").get(0);
    assertThat(port.path("name").asText()).isEqualTo("http");
    assertThat(port.path("targetPort").asText()).isEqualTo("http");
    Manifests.element(manifests.brokerContainer().path("ports"), "name", "http");
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void networkPolicyCoversThePodsAndAdmitsOnlyTheHttpPort(Path valuesFile) {
    Manifests manifests = Chart.render(valuesFile);

    JsonNode spec = manifests.one("NetworkPolicy").path("spec");
    assertThat(manifests.podLabels())
        .containsAllEntriesOf(Manifests.matchLabels(spec.path("podSelector")));
    assertThat(spec.path("ingress")).isNotEmpty();
    for (JsonNode rule : spec.path("ingress")) {
      assertThat(rule.path("ports"))
          .extracting(p -> p.path("port").asText())
          .containsExactly("http");
    }
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void podUsesTheRenderedConfigMap(Path valuesFile) {
    Manifests manifests = Chart.render(valuesFile);

    JsonNode volume = Manifests.element(manifests.podSpec().path("volumes"), "name", "config");
    String configMapName = volume.path("configMap").path("name").asText();
    assertThat(manifests.ofKind("ConfigMap"))
        .extracting(c -> c.path("metadata").path("name").asText())
        .contains(configMapName);
    JsonNode mount =
        Manifests.element(manifests.brokerContainer().path("volumeMounts"), "name", "config");
    assertThat(mount.path("mountPath").asText()).isEqualTo("/deployments/config");
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void autoscalerTargetsTheDeployment(Path valuesFile) {
    Manifests manifests = Chart.render(valuesFile);

    for (JsonNode hpa : manifests.ofKind("HorizontalPodAutoscaler")) {
      JsonNode target = hpa.path("spec").path("scaleTargetRef");
      assertThat(target.path("kind").asText()).isEqualTo("Deployment");
      assertThat(target.path("name").asText())
          .isEqualTo(manifests.deployment().path("metadata").path("name").asText());
    }
  }
}
