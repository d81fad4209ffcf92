package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every alert a pager can raise has its runbook section, and the README points operators there. */
class OperationsDocsTest {

  private static final Path OPERATIONS = Path.of("docs", "operations.md");

  @Test
  void everyShippedAlertHasARunbookSection() throws IOException {
    String operations = Files.readString(OPERATIONS);

    for (JsonNode rule : AlertRules.rendered(Chart.render(Chart.productionValues()))) {
      assertThat(operations).contains("\n### " + rule.path("alert").asText() + "\n");
    }
  }

  @Test
  void operationsGuideCoversTheInstallationSteps() throws IOException {
    assertThat(Files.readString(OPERATIONS))
        .contains("secret/data/token-broker/providers/")
        .contains("client_secret_previous")
        .contains("transit/keys/token-broker")
        .contains("vault write auth/kubernetes/role/token-broker")
        .contains("POST /v1/authorizations")
        .contains("helm upgrade --install");
  }

  @Test
  void readmePointsAtTheDeploymentArtefacts() throws IOException {
    assertThat(Files.readString(Path.of("README.md")))
        .contains("## Deploy")
        .contains("Dockerfile")
        .contains("helm/token-broker")
        .contains("docs/operations.md");
  }
}
