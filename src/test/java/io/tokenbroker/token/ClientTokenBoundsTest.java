package io.tokenbroker.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * App tokens cost an upstream call and a held entry per scope set: callers may name only scopes of
 * the provider's allow-list, and the held tokens are bounded however many sets are asked for.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class ClientTokenBoundsTest {

  @Inject ClientTokenService service;
  @Inject ProviderCatalog providers;

  private PinterestStandIn pinterest;

  @BeforeEach
  void upstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  @Test
  void scopeOutsideTheProvidersAllowListIsRefusedUnquotedWithoutAnUpstreamCall() {
    for (String scope : List.of("invented:scope", "admin", "boards:read_all", "x".repeat(200))) {
      Response answer = PinterestFlows.clientTokenRequest(scope);
      assertThat(answer.statusCode()).as(scope).isEqualTo(400);
      assertThat(answer.jsonPath().getString("code")).isEqualTo("validation_failed");
      assertThat(answer.body().asString()).doesNotContain(scope);
    }
    assertThat(pinterest.tokenCalls("client_credentials")).isZero();
  }

  @Test
  void heldAppTokensStayBoundedHoweverManyScopeSetsAreAskedFor() throws Exception {
    List<String> allowed =
        new ArrayList<>(providers.require("pinterest").allowedScopes()).stream().sorted().toList();
    List<String> bodies = new ArrayList<>();
    // Distinct scope sets of two to four allowed scopes, as many as needed.
    for (long mask = 1;
        mask < (1L << allowed.size()) && bodies.size() <= ClientTokenService.MAX_HELD + 20;
        mask++) {
      if (Long.bitCount(mask) < 2 || Long.bitCount(mask) > 4) {
        continue;
      }
      List<String> set = new ArrayList<>();
      for (int i = 0; i < allowed.size(); i++) {
        if ((mask & (1L << i)) != 0) {
          set.add("\"" + allowed.get(i) + "\"");
        }
      }
      bodies.add("{\"scopes\":[" + String.join(",", set) + "]}");
    }
    assertThat(bodies).hasSizeGreaterThan(ClientTokenService.MAX_HELD + 20);
    // Other test classes share this application and may have left app tokens held; each of those
    // scope sets is served without an upstream call.
    int heldBefore = (int) service.heldCount();
    HttpClient http = HttpClient.newHttpClient();
    String app = CallerTokens.token(PinterestFlows.APP_CONSUMER, "token-consumer");
    URI uri =
        URI.create("http://localhost:" + RestAssured.port + "/v1/providers/pinterest/client-token");
    for (String body : bodies.subList(0, ClientTokenService.MAX_HELD + 20)) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(uri)
                  .header("Authorization", "Bearer " + app)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    assertThat(pinterest.tokenCalls("client_credentials"))
        .isBetween(ClientTokenService.MAX_HELD + 20 - heldBefore, ClientTokenService.MAX_HELD + 20);
    assertThat(service.heldCount()).isLessThanOrEqualTo(ClientTokenService.MAX_HELD);
  }
}
