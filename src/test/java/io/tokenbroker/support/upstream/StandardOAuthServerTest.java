package io.tokenbroker.support.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The standard server runs the whole authorization-code flow with PKCE and a real login form, and
 * refuses a code presented with the wrong verifier.
 */
class StandardOAuthServerTest {

  private static final String CALLBACK = "http://localhost:9/v1/oauth/callback";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final StandardOAuthServer SERVER = new StandardOAuthServer();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final LoginFormDriver browser = new LoginFormDriver();

  @BeforeAll
  static void start() {
    SERVER.start();
  }

  @AfterAll
  static void stop() {
    SERVER.close();
  }

  @Test
  void endpointsAreOnLoopbackUnderTheIssuerId() {
    assertThat(SERVER.authorizationEndpoint())
        .startsWith("http://")
        .contains(":" + SERVER.port() + "/")
        .endsWith("/default/authorize");
    assertThat(SERVER.tokenEndpoint()).endsWith("/default/token");
    assertThat(SERVER.issuerUrl()).endsWith("/default");
  }

  @Test
  void loginFormThenCodeExchangeWithTheRightVerifierYieldsTokensForTheSignedInUser()
      throws Exception {
    String verifier = newVerifier();
    URI callback = browser.login(authorizationUrl("st-1", challengeOf(verifier)), "alice");

    Map<String, String> query = Exchanges.parseUrlEncoded(callback.getRawQuery());
    assertThat(callback.toString()).startsWith(CALLBACK + "?");
    assertThat(query).containsEntry("state", "st-1").containsKey("code");

    HttpResponse<String> exchanged = exchange(query.get("code"), verifier);

    assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
    JsonNode tokens = JSON.readTree(exchanged.body());
    assertThat(tokens.get("token_type").asText()).isEqualToIgnoringCase("bearer");
    assertThat(tokens.hasNonNull("refresh_token")).isTrue();
    assertThat(claims(tokens.get("access_token").asText()).get("sub").asText()).isEqualTo("alice");

    HttpResponse<String> userInfo =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(SERVER.userInfoEndpoint()))
                .header("Authorization", "Bearer " + tokens.get("access_token").asText())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(userInfo.body()).get("sub").asText()).isEqualTo("alice");
    assertThat(exchange(query.get("code"), verifier).statusCode()).as("code reuse").isEqualTo(400);
  }

  /** Pins the limits documented on StandardOAuthServer, so a library upgrade cannot hide them. */
  @Test
  void clientSecretAndRefreshTokenReuseAreNotEnforced() throws Exception {
    String verifier = newVerifier();
    URI callback = browser.login(authorizationUrl("st-4", challengeOf(verifier)), "dave");
    String code = Exchanges.parseUrlEncoded(callback.getRawQuery()).get("code");
    String refreshToken =
        JSON.readTree(exchange(code, verifier).body()).get("refresh_token").asText();

    HttpResponse<String> first = refresh(refreshToken);
    HttpResponse<String> replay = refresh(refreshToken);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
  }

  @Test
  void codeExchangeWithAWrongVerifierIsRefused() throws Exception {
    String verifier = newVerifier();
    URI callback = browser.login(authorizationUrl("st-2", challengeOf(verifier)), "bob");
    String code = Exchanges.parseUrlEncoded(callback.getRawQuery()).get("code");

    HttpResponse<String> refused = exchange(code, newVerifier());

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void extraClaimsFromTheLoginFormEndUpInTheToken() throws Exception {
    String verifier = newVerifier();
    URI callback =
        browser.login(
            authorizationUrl("st-3", challengeOf(verifier)), "carol", "{\"acct\":\"42\"}");
    String code = Exchanges.parseUrlEncoded(callback.getRawQuery()).get("code");

    JsonNode tokens = JSON.readTree(exchange(code, verifier).body());

    assertThat(claims(tokens.get("access_token").asText()).get("acct").asText()).isEqualTo("42");
  }

  private static URI authorizationUrl(String state, String challenge) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("client_id", "token-broker");
    params.put("redirect_uri", CALLBACK);
    params.put("response_type", "code");
    params.put("scope", "openid offline_access");
    params.put("state", state);
    params.put("code_challenge", challenge);
    params.put("code_challenge_method", "S256");
    return URI.create(SERVER.authorizationEndpoint() + "?" + encode(params));
  }

  private static HttpResponse<String> exchange(String code, String verifier) throws Exception {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", CALLBACK);
    form.put("code_verifier", verifier);
    String basic =
        Base64.getEncoder()
            .encodeToString("token-broker:any-secret".getBytes(StandardCharsets.UTF_8));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(SERVER.tokenEndpoint()))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> refresh(String refreshToken) throws Exception {
    String body =
        "grant_type=refresh_token&refresh_token="
            + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8);
    String wrongSecret =
        Base64.getEncoder()
            .encodeToString("token-broker:not-the-secret".getBytes(StandardCharsets.UTF_8));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(SERVER.tokenEndpoint()))
            .header("Authorization", "Basic " + wrongSecret)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String newVerifier() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return B64URL.encodeToString(bytes);
  }

  private static String challengeOf(String verifier) throws Exception {
    return B64URL.encodeToString(
        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
  }

  private static JsonNode claims(String jwt) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }

  private static String encode(Map<String, String> params) {
    StringBuilder out = new StringBuilder();
    params.forEach(
        (name, value) -> {
          if (out.length() > 0) {
            out.append('&');
          }
          out.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
    return out.toString();
  }
}
