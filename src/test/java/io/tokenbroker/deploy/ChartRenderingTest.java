package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which objects the chart renders for its defaults and for the values files under ci/. */
class ChartRenderingTest {

  static List<Path> ciValuesFiles() {
    return Chart.ciValuesFiles();
  }

  @Test
  void ciFolderHoldsTheDefaultsAndAProductionExample() {
    assertThat(ciValuesFiles())
        .extracting(p -> p.getFileName().toString())
        .contains("default-values.yaml", "production-values.yaml");
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void everyCiValuesFileRendersTheCoreObjects(Path valuesFile) {
    Manifests manifests = Chart.render(valuesFile);

    assertThat(manifests.kinds())
        .contains("Deployment", "Service", "ServiceAccount", "ConfigMap", "PodDisruptionBudget");
  }

  @Test
  void defaultValuesRenderOnlyWhatNeedsNoExtraClusterSoftware() {
    Manifests manifests = Chart.render();

    assertThat(manifests.kinds())
        .containsExactlyInAnyOrder(
            "ConfigMap",
            "Deployment",
            "NetworkPolicy",
            "PodDisruptionBudget",
            "Service",
            "ServiceAccount");
    assertThat(manifests.deployment().path("spec").path("replicas").asInt()).isEqualTo(2);
  }

  @Test
  void productionExampleRendersEveryOptionalPart() {
    Manifests manifests = Chart.render(Chart.productionValues());

    assertThat(manifests.kinds())
        .contains(
            "Ingress",
            "HorizontalPodAutoscaler",
            "NetworkPolicy",
            "ServiceMonitor",
            "PrometheusRule");
    assertThat(manifests.ofKind("ConfigMap")).hasSize(2);
  }

  @Test
  void autoscalingTakesOverTheReplicaCount() {
    Manifests manifests = Chart.render(Map.of("autoscaling.enabled", true));

    assertThat(manifests.deployment().path("spec").has("replicas")).isFalse();
    assertThat(manifests.one("HorizontalPodAutoscaler").path("spec").path("minReplicas").asInt())
        .isEqualTo(2);
  }

  @Test
  void providerConfigurationLandsInTheMountedPropertiesFile() {
    Manifests manifests = Chart.render(Chart.productionValues());

    assertThat(manifests.applicationProperties())
        .contains("broker.providers.pinterest.preset=pinterest")
        .contains("broker.providers.pinterest.client-id=1234567")
        .contains(
            "broker.providers.pinterest.redirect-uri=https://broker.example.com/v1/oauth/callback")
        .contains(
            "broker.authorization.return-to-allowed=https://app.example.com/integrations/pinterest")
        .contains(
            "mp.jwt.verify.publickey.location=https://idp.example.com/realms/internal/protocol/openid-connect/certs")
        .contains("quarkus.vault.authentication.kubernetes.role=token-broker")
        .contains("broker.connect.public-base-url=https://broker.example.com");
  }

  @Test
  void databaseWaitsAreBoundedAndExtraConfigCanChangeThem() {
    String properties =
        Chart.render(
                Map.of(
                    "broker.extraConfig.quarkus\\.datasource\\.jdbc\\.acquisition-timeout", "10S"))
            .applicationProperties();

    assertThat(properties)
        .contains("quarkus.datasource.jdbc.additional-jdbc-properties.loginTimeout=5")
        .contains("quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout=30");
    // A properties file keeps the last value of a key: the operator's comes after the chart's.
    assertThat(properties.lastIndexOf("quarkus.datasource.jdbc.acquisition-timeout=10S"))
        .isGreaterThan(properties.indexOf("quarkus.datasource.jdbc.acquisition-timeout=5S"))
        .isNotNegative();
  }

  @Test
  void installNotesNameTheRedirectUriToRegister() {
    String notes = Chart.installNotes(Chart.productionValues());

    assertThat(notes)
        .contains("pinterest: https://broker.example.com/v1/oauth/callback")
        .contains("http://tb-token-broker.broker.svc:8080");
  }

  @Test
  void installNotesWarnWhenNoAccountCanBeLinked() {
    String notes = Chart.installNotes(Chart.DIRECTORY.resolve("ci").resolve("default-values.yaml"));

    assertThat(notes)
        .contains("The Ingress is disabled")
        .contains("no provider configured")
        .contains("callerAuth.publicKeyLocation");
  }

  @Test
  void installNotesWarnWhenNoCallerIssuerIsSet() {
    String defaults =
        Chart.installNotes(Chart.DIRECTORY.resolve("ci").resolve("default-values.yaml"));
    String production = Chart.installNotes(Chart.productionValues());

    assertThat(defaults).contains("callerAuth.issuer names your identity provider: it is empty");
    assertThat(production).doesNotContain("callerAuth.issuer names");
  }
}
