package io.tokenbroker.exchange;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.StringJoiner;
import java.util.UUID;

/** Token-exchange requests over real HTTP, as an OAuth client sends them, for the tests here. */
final class Exchange {

  static final String PATH = "/v1/token";
  static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
  static final String JWT = "urn:ietf:params:oauth:token-type:jwt";
  static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

  private Exchange() {}

  static String connection(UUID id) {
    return "urn:token-broker:connection:" + id;
  }

  static String provider(String provider) {
    return "urn:token-broker:provider:" + provider;
  }

  /** A form body of name, value pairs, UTF-8 percent-encoded; a name may repeat. */
  static String form(String... pairs) {
    StringJoiner body = new StringJoiner("&");
    for (int i = 0; i < pairs.length; i += 2) {
      body.add(
          URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)
              + "="
              + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return body.toString();
  }

  /** POSTs {@code body} as a form, with {@code Authorization: Bearer callerJwt} unless null. */
  static ValidatableResponse post(String callerJwt, String body) {
    RequestSpecification request =
        given().contentType("application/x-www-form-urlencoded").body(body);
    if (callerJwt != null) {
      request.header("Authorization", "Bearer " + callerJwt);
    }
    return request.post(PATH).then();
  }

  /** The Bearer door: caller JWT in the header, token-exchange grant plus {@code pairs}. */
  static ValidatableResponse bearer(String callerJwt, String... pairs) {
    return post(callerJwt, grantWith(pairs));
  }

  /** The subject-token door: no Authorization header, caller JWT as subject_token. */
  static ValidatableResponse subject(String callerJwt, String... pairs) {
    String[] all = new String[pairs.length + 4];
    all[0] = "subject_token";
    all[1] = callerJwt;
    all[2] = "subject_token_type";
    all[3] = JWT;
    System.arraycopy(pairs, 0, all, 4, pairs.length);
    return post(null, grantWith(all));
  }

  static String grantWith(String... pairs) {
    String rest = form(pairs);
    return form("grant_type", GRANT) + (rest.isEmpty() ? "" : "&" + rest);
  }

  /** Asserts an RFC 6749 error answer: status, JSON, no-store, the error code. */
  static ValidatableResponse error(ValidatableResponse response, int status, String error) {
    return response
        .statusCode(status)
        .contentType(startsWith("application/json"))
        .header("Cache-Control", "no-store")
        .body("error", equalTo(error));
  }

  static void status(UUID id, ConnectionStatus status) {
    QuarkusTransaction.requiringNew()
        .run(() -> Connection.<Connection>findById(id).status = status);
  }

  static void accessTokenExpired(UUID id) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Connection.update(
                    "accessTokenExpiresAt = ?1 where id = ?2", Instant.now().minusSeconds(60), id));
  }
}
