package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Browsers reach the OAuth callbacks and the connect-link pages and nothing else: the token API
 * stays inside the cluster.
 */
class IngressExposureTest {

  private static final String CALLBACK = "/v1/oauth/callback";

  @Test
  void ingressRoutesOnlyTheCallbacksAndConnectPagesToTheBroker() {
    Manifests manifests = Chart.render(Chart.productionValues());
    JsonNode ingress = manifests.one("Ingress");
    String serviceName = manifests.one("Service").path("metadata").path("name").asText();

    JsonNode rules = ingress.path("spec").path("rules");
    assertThat(rules).isNotEmpty();
    for (JsonNode rule : rules) {
      JsonNode paths = rule.path("http").path("paths");
      assertThat(paths)
          .extracting(p -> p.path("pathType").asText() + " " + p.path("path").asText())
          .containsExactly("Exact " + CALLBACK, "Prefix " + CALLBACK + "/", "Prefix /connect/");
      for (JsonNode path : paths) {
        assertThat(path.path("backend").path("service").path("name").asText())
            .isEqualTo(serviceName);
        assertThat(path.path("backend").path("service").path("port").path("name").asText())
            .isEqualTo("http");
      }
    }
    assertThat(ingress.path("spec").has("defaultBackend")).isFalse();
  }

  @Test
  void ingressIsOffByDefault() {
    assertThat(Chart.render().has("Ingress")).isFalse();
  }

  @Test
  void enablingTheIngressWithoutAHostIsRefused() {
    assertThatThrownBy(() -> Chart.render(Map.of("ingress.enabled", true)))
        .hasMessageContaining("hosts");
  }

  @Test
  void registeredRedirectUriIsTheCallbackBehindTheIngressHost() {
    Manifests manifests = Chart.render(Chart.productionValues());
    String host = manifests.one("Ingress").path("spec").path("rules").get(0).path("host").asText();

    assertThat(manifests.applicationProperties())
        .contains("broker.providers.pinterest.redirect-uri=https://" + host + CALLBACK);
  }
}
