package io.tokenbroker.support.upstream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.support.CallerTokens;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The resources start their servers, point a provider's configuration at them, and pin the test
 * port so that the configured redirect URI is the broker's real callback and is accepted upstream;
 * an account links through the real broker against each server.
 */
@QuarkusTest
@QuarkusTestResource(value = PinterestStandInResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = StandardOAuthServerResource.class, restrictToAnnotatedClass = true)
class UpstreamResourcesTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @TestHTTPResource("/")
  URL broker;

  // Read, not injected: an injection point would make every other test's application require these
  // keys, since Quarkus validates test-class injection points at each start.
  private static String config(String key) {
    return ConfigProvider.getConfig().getValue(key, String.class);
  }

  @Test
  void redirectUriIsTheCallbackOnThePortTheBrokerReallyListensOn() throws Exception {
    String pinterestRedirectUri = config("broker.providers.pinterest.redirect-uri");
    String standardRedirectUri = config("broker.providers.standard.redirect-uri");
    assertThat(pinterestRedirectUri)
        .isEqualTo("http://localhost:" + broker.getPort() + "/v1/oauth/callback")
        .isEqualTo(standardRedirectUri);

    URI health = URI.create(pinterestRedirectUri).resolve("/q/health/live");
    HttpResponse<String> live =
        HTTP.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(live.statusCode()).isEqualTo(200);
  }

  @Test
  void pinterestStandInAcceptsTheConfiguredRedirectUriAndClientCredentials() throws Exception {
    String pinterestRedirectUri = config("broker.providers.pinterest.redirect-uri");
    String pinterestClientId = config("broker.providers.pinterest.client-id");
    String pinterestClientSecret = config("broker.providers.pinterest.client-secret");
    String pinterestTokenEndpoint = config("broker.providers.pinterest.token-endpoint");
    PinterestStandIn pinterest = PinterestStandInResource.pinterest();
    URI authorize =
        URI.create(
            pinterest.authorizationEndpoint()
                + "?response_type=code&scope=boards:read&state=s&client_id="
                + pinterestClientId
                + "&redirect_uri="
                + URLEncoder.encode(pinterestRedirectUri, StandardCharsets.UTF_8));

    HttpResponse<String> consent =
        HTTP.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (pinterestClientId + ":" + pinterestClientSecret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> appToken =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(pinterestTokenEndpoint))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&scope=ads:read"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(consent.statusCode()).isEqualTo(302);
    assertThat(consent.headers().firstValue("Location").orElseThrow())
        .startsWith(pinterestRedirectUri + "?code=");
    assertThat(appToken.statusCode()).isEqualTo(200);
  }

  @Test
  void standardProviderPointsAtTheRunningServer() {
    assertThat(config("broker.providers.standard.authorization-endpoint"))
        .isEqualTo(StandardOAuthServerResource.server().authorizationEndpoint());
  }

  @Test
  void aPinterestAccountLinksThroughTheBrokerAgainstTheStandIn() throws Exception {
    PinterestStandIn pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    PinterestAccount erin = pinterest.signInAs("erin");

    HttpResponse<String> consent =
        get(
            startLink(
                "{\"provider\":\"pinterest\",\"scopes\":[\"boards:read\",\"user_accounts:read\"]}"));
    assertThat(consent.statusCode()).as(consent.body()).isEqualTo(302);
    HttpResponse<String> callback = get(consent.headers().firstValue("Location").orElseThrow());

    assertThat(callback.statusCode()).as(callback.body()).isEqualTo(200);
    assertThat(callback.body()).contains("Account linked");
    assertThat(pinterest.authorizeRequests().get(0).parameter("scope"))
        .isEqualTo("boards:read,user_accounts:read");
    assertThat(pinterest.tokenRequests())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.grantType()).isEqualTo("authorization_code");
              assertThat(r.status()).isEqualTo(200);
            });
    assertThat(pinterest.refreshChain(erin.id()).issued()).hasSize(1);
    assertThat(pinterest.accountCalls()).isEqualTo(1);
  }

  @Test
  void anAccountLinksThroughTheBrokerAgainstTheStandardServerWithPkceAndTheLoginForm()
      throws Exception {
    String authorizationUrl = startLink("{\"provider\":\"standard\",\"scopes\":[\"openid\"]}");
    assertThat(authorizationUrl).contains("code_challenge=").contains("code_challenge_method=S256");

    URI callback = new LoginFormDriver().login(URI.create(authorizationUrl), "frank");
    HttpResponse<String> linked = get(callback.toString());

    assertThat(linked.statusCode()).as(linked.body()).isEqualTo(200);
    assertThat(linked.body()).contains("Account linked");
  }

  private static String startLink(String body) {
    return given()
        .auth()
        .oauth2(CallerTokens.admin())
        .contentType("application/json")
        .body(body)
        .post("/v1/authorizations")
        .then()
        .statusCode(201)
        .extract()
        .path("authorization_url");
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
