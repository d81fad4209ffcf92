package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What real clusters need beyond the defaults: CA bundles mounted from extra volumes, init
 * containers and objects of the operator's own, JVM options merged rather than replaced, CPU sizing
 * from the container's resources, and configuration numbers written as given.
 */
class ChartExtensionPointsTest {

  @TempDir Path directory;

  private Path valuesFile(String yaml) throws IOException {
    Path file = directory.resolve("values.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void caBundleMountsThroughExtraVolumesAndAnExtraObjectRendersWithTheRelease() throws Exception {
    Manifests manifests =
        Chart.render(
            valuesFile(
                """
                extraObjects:
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: "{{ .Release.Name }}-ca"
                    data:
                      ca.crt: "-----BEGIN CERTIFICATE-----"
                extraVolumes:
                  - name: ca
                    configMap:
                      name: tb-ca
                extraVolumeMounts:
                  - name: ca
                    mountPath: /etc/token-broker/ca
                    readOnly: true
                initContainers:
                  - name: wait-for-db
                    image: registry.example.com/tools:1
                    command: ["true"]
                """));

    JsonNode caConfigMap =
        manifests.ofKind("ConfigMap").stream()
            .filter(c -> c.path("metadata").path("name").asText().equals("tb-ca"))
            .findFirst()
            .orElseThrow();
    assertThat(caConfigMap.path("data").path("ca.crt").asText()).startsWith("-----BEGIN");
    assertThat(Manifests.element(manifests.podSpec().path("volumes"), "name", "ca")).isNotNull();
    assertThat(
            Manifests.element(manifests.brokerContainer().path("volumeMounts"), "name", "ca")
                .path("mountPath")
                .asText())
        .isEqualTo("/etc/token-broker/ca");
    assertThat(manifests.podSpec().path("initContainers"))
        .extracting(c -> c.path("name").asText())
        .containsExactly("wait-for-db");
  }

  @Test
  void aVolumeMountWithoutAPathIsRefused() {
    assertThatThrownBy(() -> Chart.render(Map.of("extraVolumeMounts[0].name", "ca")))
        .hasMessageContaining("mountPath");
  }

  @Test
  void numbersInConfigurationRenderAsWrittenNotInExponentForm() throws Exception {
    String properties =
        Chart.render(
                valuesFile(
                    """
                    broker:
                      providers:
                        pinterest:
                          preset: pinterest
                          clientId: "1234567"
                          settings:
                            refresh-margin-seconds: 1000000
                      extraConfig:
                        broker.token.max-entries: 2000000
                        broker.refresh.jitter-ratio: 0.25
                    """))
            .applicationProperties();

    assertThat(properties)
        .contains("broker.providers.pinterest.refresh-margin-seconds=1000000")
        .contains("broker.token.max-entries=2000000")
        .contains("broker.refresh.jitter-ratio=0.25")
        .doesNotContain("e+06");
  }

  @Test
  void javaOptsAppendFromExtraEnvIsMergedAfterTheChartsOptions() {
    JsonNode env =
        Chart.render(
                Map.of(
                    "extraEnv[0].name", "JAVA_OPTS_APPEND",
                    "extraEnv[0].value", "-Xlog:gc",
                    "jvm.extraOptions", "-XX:+UseG1GC"))
            .brokerContainer()
            .path("env");

    assertThat(env).filteredOn(e -> e.path("name").asText().equals("JAVA_OPTS_APPEND")).hasSize(1);
    assertThat(Manifests.element(env, "name", "JAVA_OPTS_APPEND").path("value").asText())
        .isEqualTo("-XX:MaxRAMPercentage=50 -XX:ActiveProcessorCount=2 -XX:+UseG1GC -Xlog:gc");
  }

  @Test
  void javaOptsAppendFromASecretIsRefusedWithTheValueToUseInstead() {
    Map<String, Object> values =
        Map.of(
            "extraEnv[0].name", "JAVA_OPTS_APPEND",
            "extraEnv[0].valueFrom.configMapKeyRef.name", "jvm",
            "extraEnv[0].valueFrom.configMapKeyRef.key", "opts");

    assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("jvm.extraOptions");
  }

  @Test
  void activeProcessorCountComesFromTheCpuLimitElseTheRequestWithAFloorOfTwo() {
    assertThat(javaOptions(Map.of("resources.limits.cpu", "1500m")))
        .contains("-XX:ActiveProcessorCount=2");
    assertThat(javaOptions(Map.of("resources.limits.cpu", "500m")))
        .contains("-XX:ActiveProcessorCount=1");
    assertThat(javaOptions(Map.of("resources.limits.cpu", "4")))
        .contains("-XX:ActiveProcessorCount=4");
    assertThat(javaOptions(Map.of("resources.requests.cpu", "250m")))
        .contains("-XX:ActiveProcessorCount=2");
    assertThat(javaOptions(Map.of("resources.requests.cpu", "3")))
        .contains("-XX:ActiveProcessorCount=3");
    assertThat(javaOptions(Map.of("jvm.activeProcessorCount", 6)))
        .contains("-XX:ActiveProcessorCount=6");
  }

  private static String javaOptions(Map<String, Object> values) {
    return Manifests.element(
            Chart.render(values).brokerContainer().path("env"), "name", "JAVA_OPTS_APPEND")
        .path("value")
        .asText();
  }
}
