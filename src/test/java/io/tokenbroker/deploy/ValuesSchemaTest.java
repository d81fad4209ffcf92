package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** values.schema.json refuses a wrongly typed value before anything is rendered. */
class ValuesSchemaTest {

  @Test
  void wellTypedOverrideRenders() {
    Manifests manifests = Chart.render(Map.of("replicaCount", 3));

    assertThat(manifests.deployment().path("spec").path("replicas").asInt()).isEqualTo(3);
  }

  @Test
  void replicaCountAsTextIsRefused() {
    assertThatThrownBy(() -> Chart.render(Map.of("replicaCount", "two")))
        .hasMessageContaining("schema")
        .hasMessageContaining("replicaCount");
  }

  @Test
  void booleanSwitchAsTextIsRefused() {
    assertThatThrownBy(() -> Chart.render(Map.of("ingress.enabled", "yes")))
        .hasMessageContaining("schema")
        .hasMessageContaining("enabled");
  }

  /**
   * An unquoted numeric client id would reach the properties file as a float (1.234567e+06); the
   * schema insists on a string so that never happens.
   */
  @Test
  void numericClientIdIsRefused() {
    assertThatThrownBy(() -> Chart.render(Map.of("broker.providers.pinterest.clientId", 1234567)))
        .hasMessageContaining("schema")
        .hasMessageContaining("clientId");
  }

  @Test
  void relaxingTheReadOnlyRootFilesystemIsRefused() {
    assertThatThrownBy(() -> Chart.render(Map.of("securityContext.readOnlyRootFilesystem", false)))
        .hasMessageContaining("schema")
        .hasMessageContaining("readOnlyRootFilesystem");
  }

  @Test
  void droppingLessThanAllCapabilitiesIsRefused() {
    assertThatThrownBy(
            () -> Chart.render(Map.of("securityContext.capabilities.drop[0]", "NET_RAW")))
        .hasMessageContaining("schema")
        .hasMessageContaining("drop");
  }

  @Test
  void aLocalhostSeccompProfileWithoutItsFileIsRefused() {
    assertThatThrownBy(
            () -> Chart.render(Map.of("podSecurityContext.seccompProfile.type", "Localhost")))
        .hasMessageContaining("schema")
        .hasMessageContaining("localhostProfile");
    assertThatThrownBy(
            () -> Chart.render(Map.of("securityContext.seccompProfile.type", "Localhost")))
        .hasMessageContaining("localhostProfile");
  }

  @Test
  void aLocalhostSeccompProfileThatNamesItsFileIsAccepted() {
    Map<String, Object> values =
        Map.of(
            "podSecurityContext.seccompProfile.type", "Localhost",
            "podSecurityContext.seccompProfile.localhostProfile", "profiles/token-broker.json");

    assertThat(
            Chart.render(values)
                .podSpec()
                .path("securityContext")
                .path("seccompProfile")
                .path("localhostProfile")
                .asText())
        .isEqualTo("profiles/token-broker.json");
  }

  @Test
  void returnToPrefixWithoutATrailingSlashIsRefusedAsTheBrokerWouldAtStart() {
    assertThatThrownBy(
            () ->
                Chart.render(
                    Map.of(
                        "broker.authorization.returnToAllowed[0]",
                        "https://app.example.com/integrations/pinterest")))
        .hasMessageContaining("schema")
        .hasMessageContaining("returnToAllowed");
    assertThat(
            Chart.render(
                    Map.of(
                        "broker.authorization.returnToAllowed[0]", "https://app.example.com",
                        "broker.authorization.returnToAllowed[1]", "https://app.example.com/a/",
                        "broker.authorization.returnToAllowed[2]", "https://b.example.com/"))
                .applicationProperties())
        .contains(
            "broker.authorization.return-to-allowed=https://app.example.com,https://app.example.com/a/");
  }

  @Test
  void embeddedDatabaseUrlIsRefused() {
    assertThatThrownBy(
            () ->
                Chart.render(
                    Map.of("database.jdbcUrl", "jdbc:embedded-postgresql:./data/postgres")))
        .hasMessageContaining("schema")
        .hasMessageContaining("jdbcUrl");
  }

  @Test
  void unknownTopLevelValueIsRefused() {
    assertThatThrownBy(() -> Chart.render(Map.of("replicas", 3)))
        .hasMessageContaining("schema")
        .hasMessageContaining("replicas");
  }
}
