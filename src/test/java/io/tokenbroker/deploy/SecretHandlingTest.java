package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No credential passes through Helm: the chart renders no Secret, reads database credentials from
 * an existing one, and its values schema has nowhere to put a password or a client secret.
 */
class SecretHandlingTest {

  private static final Pattern SENSITIVE =
      Pattern.compile("(?i).*(password|secret|token|credential|private|api_?key).*");

  static List<Path> ciValuesFiles() {
    return Chart.ciValuesFiles();
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void chartRendersNoSecretObject(Path valuesFile) {
    assertThat(Chart.render(valuesFile).ofKind("Secret")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void sensitiveEnvironmentVariablesComeOnlyFromSecretReferences(Path valuesFile) {
    JsonNode env = Chart.render(valuesFile).brokerContainer().path("env");

    for (JsonNode variable : env) {
      if (SENSITIVE.matcher(variable.path("name").asText()).matches()) {
        assertThat(variable.has("value")).as(variable.toString()).isFalse();
        assertThat(variable.path("valueFrom").has("secretKeyRef")).as(variable.toString()).isTrue();
      }
    }
  }

  @Test
  void databaseCredentialsAreReadFromTheExistingSecret() {
    JsonNode env = Chart.render().brokerContainer().path("env");

    for (String name : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
      JsonNode reference =
          Manifests.element(env, "name", name).path("valueFrom").path("secretKeyRef");
      assertThat(reference.path("name").asText()).isEqualTo("token-broker-database");
    }
  }

  @ParameterizedTest
  @MethodSource("ciValuesFiles")
  void configMapsHoldNoCredentialKey(Path valuesFile) {
    String properties = Chart.render(valuesFile).applicationProperties();

    properties
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.substring(0, l.indexOf('=')))
        .forEach(
            key ->
                assertThat(key)
                    .doesNotContainIgnoringCase("password")
                    .doesNotContainIgnoringCase("secret"));
  }

  @Test
  void aDatabasePasswordValueIsRefused() {
    assertThatThrownBy(() -> Chart.render(Map.of("database.password", "hunter2")))
        .hasMessageContaining("password");
  }

  @Test
  void aClientSecretAmongProviderSettingsIsRefused() {
    Map<String, Object> values =
        Map.of(
            "broker.providers.pinterest.clientId", "1234567",
            "broker.providers.pinterest.settings.client-secret", "s3cr3t");

    assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("client-secret");
  }

  @Test
  void aPasswordKeyInExtraConfigurationIsRefused() {
    Map<String, Object> values =
        Map.of("broker.extraConfig.quarkus\\.datasource\\.password", "hunter2");

    assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("password");
  }

  @Test
  void aTokenKeyInExtraConfigurationIsRefused() {
    Map<String, Object> values =
        Map.of("broker.extraConfig.quarkus\\.vault\\.authentication\\.client-token", "hvs.x");

    assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("client-token");
  }

  @Test
  void theBrokersOwnTokenSettingsAreAcceptedInExtraConfiguration() {
    Map<String, Object> values = Map.of("broker.extraConfig.broker\\.token\\.cache-ttl", "30s");

    assertThat(Chart.render(values).applicationProperties()).contains("broker.token.cache-ttl=30s");
  }

  @Test
  void aLiteralValueForACredentialVariableIsRefused() {
    Map<String, Object> values =
        Map.of(
            "extraEnv[0].name",
            "QUARKUS_VAULT_AUTHENTICATION_APP_ROLE_SECRET_ID",
            "extraEnv[0].value",
            "s3cr3t");

    assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("extraEnv");
  }

  @Test
  void aCredentialVariableFromASecretReferenceIsAccepted() {
    Map<String, Object> values =
        Map.of(
            "extraEnv[0].name", "EXTRA_SECRET",
            "extraEnv[0].valueFrom.secretKeyRef.name", "extra",
            "extraEnv[0].valueFrom.secretKeyRef.key", "value");

    JsonNode env = Chart.render(values).brokerContainer().path("env");
    assertThat(Manifests.element(env, "name", "EXTRA_SECRET").path("valueFrom").has("secretKeyRef"))
        .isTrue();
  }
}
