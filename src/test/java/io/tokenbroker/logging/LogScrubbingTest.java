package io.tokenbroker.logging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.grant.TokenEndpointClient;
import io.tokenbroker.refresh.RefreshCoordinator;
import io.tokenbroker.support.LogCapture;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import io.tokenbroker.support.upstream.TokenRequest;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No client secret, refresh token, PKCE verifier, authorization code or full access token reaches a
 * log line or /q/metrics, whatever the broker does with them: real flows against the Pinterest
 * stand-in, with every log record captured as the handlers write it.
 */
@QuarkusTest
// The Pinterest stand-in set up as for LinkPinterestAccountTest, but shared: every observability
// test class runs against one application (restrictToAnnotatedClass would restart it per class).
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class LogScrubbingTest {

  @Inject RefreshCoordinator coordinator;

  private PinterestStandIn pinterest;
  private PinterestFlows flows;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    flows = new PinterestFlows(pinterest);
  }

  /** Every credential the stand-in saw or issued in this test, and those the broker handed out. */
  private Set<String> credentialsSeen(List<String> handedOut) {
    Set<String> secrets = new LinkedHashSet<>(handedOut);
    String secret = pinterest.initialClientSecret();
    secrets.add(secret);
    secrets.add(basic(pinterest.clientId(), secret));
    for (TokenRequest request : pinterest.tokenRequests()) {
      for (String name : List.of("code", "code_verifier", "refresh_token")) {
        secrets.add(request.parameter(name));
      }
    }
    secrets.remove(null);
    return secrets;
  }

  private static String basic(String clientId, String secret) {
    String pair =
        URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + ":"
            + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void realFlowsLeaveNoCredentialInAnyLogLineNorInTheMetrics() {
    List<String> handedOut;
    String account;
    try (LogCapture logs = LogCapture.onRootLogger()) {
      pinterest.accessTokenLifetime(Duration.ofHours(1));
      UUID id = flows.link("scrubbed-pinner");
      PinterestFlows.refreshedLongAgo(id);
      account = pinterest.signedInAccount().id();
      pinterest.accessTokenLifetime(Duration.ofDays(30));
      String first = PinterestFlows.accessToken(id, 60);
      String onDemand = PinterestFlows.accessToken(id, 7200);
      PinterestFlows.forceRefresh(id).then().statusCode(200);
      coordinator.scheduled(id, c -> true);
      String latest = PinterestFlows.accessToken(id, 60);
      String app =
          PinterestFlows.clientTokenRequest("billing:read")
              .then()
              .statusCode(200)
              .extract()
              .path("access_token");
      // Failure paths log the most: a provider outage, a refused secret, a forged code.
      pinterest.enqueueTokenFaults(TokenEndpointFault.serviceUnavailable());
      PinterestFlows.forceRefresh(id).then().statusCode(200);
      pinterest.acceptClientSecrets("rotated-at-pinterest-only");
      PinterestFlows.forceRefresh(id).then().statusCode(200);
      pinterest.acceptClientSecrets(pinterest.initialClientSecret());
      String forged = flows.consent("scrubbed-forger").replaceAll("code=[^&]+", "code=forged-1");
      PinterestFlows.land(forged).then().statusCode(303);
      handedOut = List.of(first, onDemand, latest, app);

      Set<String> secrets = credentialsSeen(handedOut);
      secrets.addAll(pinterest.refreshChain(account).issued());
      assertThat(secrets)
          .as("the flows produced every kind of credential")
          .anyMatch(s -> s.startsWith("pinr."))
          .anyMatch(s -> s.startsWith("pina."))
          .hasSizeGreaterThan(10);
      assertThat(pinterest.tokenRequests())
          .as("a PKCE verifier was sent")
          .anyMatch(r -> r.parameter("code_verifier") != null);
      assertThat(logs.lines()).as("log lines were captured").hasSizeGreaterThan(5);
      for (LogCapture.Line line : logs.lines()) {
        for (String credential : secrets) {
          assertThat(line.text()).as(line.logger()).doesNotContain(credential);
        }
      }
      String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
      for (String credential : secrets) {
        assertThat(metrics).doesNotContain(credential);
      }
    }
  }

  @Test
  void credentialsLoggedCarelesslyAreMaskedBeforeAnyHandlerWritesThem() {
    UUID id = flows.link("careless-pinner");
    String access = PinterestFlows.accessToken(id, 60);
    String refresh =
        pinterest.refreshChain(pinterest.signedInAccount().id()).latest().orElseThrow();
    String secret = pinterest.initialClientSecret();
    Logger careless = Logger.getLogger(TokenEndpointClient.class);

    try (LogCapture logs = LogCapture.onRootLogger()) {
      assertThat(logs.consoleFilter()).as("configuration put a filter on the console").isNotNull();
      careless.infof(
          "posting grant_type=refresh_token&refresh_token=%s&client_secret=%s", refresh, secret);
      careless.infof("calling upstream with Authorization: Bearer %s", access);
      careless.infof("Authorization: Basic %s", basic(pinterest.clientId(), secret));
      careless.error(
          "upstream failed",
          new IllegalStateException("answer was {\"access_token\":\"" + access + "\"}"));

      List<LogCapture.Line> lines =
          logs.lines().stream()
              .filter(l -> Objects.equals(l.logger(), TokenEndpointClient.class.getName()))
              .toList();
      assertThat(lines).hasSize(4);
      for (LogCapture.Line line : lines) {
        assertThat(line.text())
            .contains(SecretScrubber.MASK)
            .doesNotContain(access)
            .doesNotContain(refresh)
            .doesNotContain(secret)
            .doesNotContain(basic(pinterest.clientId(), secret));
      }
      assertThat(lines.get(3).text())
          .contains("java.lang.IllegalStateException: answer was")
          .contains("LogScrubbingTest");
    }
  }
}
