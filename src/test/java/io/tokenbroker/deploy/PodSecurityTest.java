package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The broker pod meets the restricted Pod Security Standard and is probed where Quarkus answers.
 */
class PodSecurityTest {

  static List<Path> ciValuesFiles() {
    return Chart.ciValuesFiles();
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void containerRunsRestricted(Path valuesFile) {
    JsonNode context = Chart.render(valuesFile).brokerContainer().path("securityContext");

    assertThat(context.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(context.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(context.path("allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(context.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(context.path("capabilities").path("drop"))
        .extracting(JsonNode::asText)
        .containsExactly("ALL");
    assertThat(context.path("capabilities").has("add")).isFalse();
    assertThat(context.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    assertThat(context.path("privileged").asBoolean(false)).isFalse();
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void podRunsAsTheImagesNumericNonRootUser(Path valuesFile) {
    JsonNode pod = Chart.render(valuesFile).podSpec().path("securityContext");

    assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("runAsUser").asInt()).isEqualTo(10001);
    assertThat(pod.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void tmpIsAWritableEmptyDirBesideTheReadOnlyRoot(Path valuesFile) {
    Manifests manifests = Chart.render(valuesFile);

    JsonNode tmpMount =
        Manifests.element(manifests.brokerContainer().path("volumeMounts"), "mountPath", "/tmp");
    JsonNode tmpVolume =
        Manifests.element(
            manifests.podSpec().path("volumes"), "name", tmpMount.path("name").asText());
    assertThat(tmpVolume.has("emptyDir")).isTrue();
    assertThat(tmpMount.path("readOnly").asBoolean(false)).isFalse();
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void probesUseTheQuarkusHealthEndpointsOnTheHttpPort(Path valuesFile) {
    JsonNode container = Chart.render(valuesFile).brokerContainer();

    assertThat(probePath(container, "startupProbe")).isEqualTo("/q/health/started");
    assertThat(probePath(container, "livenessProbe")).isEqualTo("/q/health/live");
    assertThat(probePath(container, "readinessProbe")).isEqualTo("/q/health/ready");
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertThat(container.path(probe).path("httpGet").path("port").asText()).isEqualTo("http");
    }
    JsonNode port = Manifests.element(container.path("ports"), "name", "http");
    assertThat(port.path("containerPort").asInt()).isEqualTo(8080);
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void containerDeclaresRequestsAndAMemoryLimit(Path valuesFile) {
    JsonNode resources = Chart.render(valuesFile).brokerContainer().path("resources");

    assertThat(resources.path("requests").path("cpu").asText()).isNotBlank();
    assertThat(resources.path("requests").path("memory").asText()).isNotBlank();
    assertThat(resources.path("limits").path("memory").asText()).isNotBlank();
  }

  @Test
  void heapIsSizedFromTheContainerLimit() {
    JsonNode env = Chart.render().brokerContainer().path("env");

    assertThat(Manifests.element(env, "name", "JAVA_OPTS_APPEND").path("value").asText())
        .contains("-XX:MaxRAMPercentage=50");
  }

  @Test
  void configurationChangeRollsThePods() {
    String before = configChecksum(Chart.render());
    String after = configChecksum(Chart.render(Map.of("vault.kubernetesRole", "broker-v2")));

    assertThat(before).matches("[0-9a-f]{64}");
    assertThat(after).matches("[0-9a-f]{64}").isNotEqualTo(before);
  }

  @Test
  void replicasSpreadOverZonesAndNodes() {
    Manifests manifests = Chart.render();

    JsonNode constraints = manifests.podSpec().path("topologySpreadConstraints");
    assertThat(constraints)
        .extracting(c -> c.path("topologyKey").asText())
        .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    for (JsonNode constraint : constraints) {
      assertThat(manifests.podLabels())
          .containsAllEntriesOf(
              Manifests.strings(constraint.path("labelSelector").path("matchLabels")));
    }
  }

  @Test
  void vaultLoginUsesAProjectedTokenWithVaultsAudienceInsteadOfTheApiServerToken() {
    Manifests manifests = Chart.render();
    JsonNode pod = manifests.podSpec();

    assertThat(pod.path("automountServiceAccountToken").asBoolean()).isFalse();
    assertThat(pod.path("serviceAccountName").asText())
        .isEqualTo(manifests.one("ServiceAccount").path("metadata").path("name").asText());
    JsonNode token =
        Manifests.element(pod.path("volumes"), "name", "vault-token")
            .path("projected")
            .path("sources")
            .get(0)
            .path("serviceAccountToken");
    assertThat(token.path("audience").asText()).isEqualTo("vault");
    assertThat(token.path("expirationSeconds").asInt()).isEqualTo(3600);
    String directory =
        Manifests.element(manifests.brokerContainer().path("volumeMounts"), "name", "vault-token")
            .path("mountPath")
            .asText();
    assertThat(manifests.applicationProperties())
        .contains(
            "quarkus.vault.authentication.kubernetes.jwt-token-path="
                + directory
                + "/"
                + token.path("path").asText());
  }

  @Test
  void withoutAVaultAudienceThePodMountsItsDefaultServiceAccountToken() {
    Manifests manifests = Chart.render(Map.of("vault.kubernetesAudience", ""));

    assertThat(manifests.podSpec().path("automountServiceAccountToken").asBoolean()).isTrue();
    assertThat(manifests.podSpec().path("volumes"))
        .extracting(v -> v.path("name").asText())
        .doesNotContain("vault-token");
    assertThat(manifests.applicationProperties()).doesNotContain("jwt-token-path");
  }

  private static String configChecksum(Manifests manifests) {
    return manifests
        .deployment()
        .path("spec")
        .path("template")
        .path("metadata")
        .path("annotations")
        .path("checksum/config")
        .asText();
  }

  private static String probePath(JsonNode container, String probe) {
    return container.path(probe).path("httpGet").path("path").asText();
  }
}
