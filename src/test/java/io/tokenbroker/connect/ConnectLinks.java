package io.tokenbroker.connect;

import static io.restassured.RestAssured.given;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.response.Response;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.support.CallerTokens;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drives connect links over real HTTP, as an administrator and as the person's browser. */
final class ConnectLinks {

  private static final Pattern FORM_TOKEN =
      Pattern.compile("name=\"form_token\" value=\"([^\"]+)\"");

  private ConnectLinks() {}

  static Response create(String body) {
    return given()
        .auth()
        .oauth2(CallerTokens.admin())
        .contentType("application/json")
        .body(body)
        .post("/v1/connect-links");
  }

  /** Creates a Pinterest link for {@code svc-shop}; returns {id, url}. */
  static Created createPinterest(String note) {
    return createPinterest(List.of("boards:read", "pins:read", "user_accounts:read"), note);
  }

  /** Creates a link of provider {@code pinterest} asking for {@code scopes}, for svc-shop. */
  static Created createPinterest(List<String> scopes, String note) {
    String scopeList =
        scopes.stream().map(s -> "\"" + s + "\"").collect(java.util.stream.Collectors.joining(","));
    Response r =
        create(
            "{\"provider\":\"pinterest\",\"scopes\":["
                + scopeList
                + "],\"allowed_callers\":[\"svc-shop\"],"
                + "\"label\":\"shop account\",\"note\":"
                + (note == null ? "null" : "\"" + note + "\"")
                + "}");
    r.then().log().ifValidationFails().statusCode(201);
    return new Created(UUID.fromString(r.path("id")), r.path("url"));
  }

  /** The path part of a link URL (RestAssured talks to the broker under test). */
  static String path(String url) {
    return java.net.URI.create(url).getRawPath();
  }

  static String formToken(String html) {
    Matcher m = FORM_TOKEN.matcher(html);
    if (!m.find()) {
      throw new AssertionError("no form token on the page: " + html);
    }
    return m.group(1);
  }

  /** The page's POST as a browser on the page sends it. */
  static Response proceed(String url, String formToken, String origin) {
    var request =
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded");
    if (origin != null) {
      request = request.header("Origin", origin);
    }
    return request.formParam("form_token", formToken).post(path(url));
  }

  static Response page(String url) {
    return given().redirects().follow(false).get(path(url));
  }

  static void expire(UUID id) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              ConnectLink link = ConnectLink.findById(id);
              link.expiresAt = Instant.now().minusSeconds(1);
            });
  }

  static ConnectLink load(UUID id) {
    return QuarkusTransaction.requiringNew().call(() -> ConnectLink.findById(id));
  }

  /** Audit actions recorded for a link, oldest first (connect-link rows name it as actor). */
  static List<String> audit(UUID id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                AuditEvent.<AuditEvent>find(
                        "(actor = ?1 or detail like ?2) order by id",
                        "connect-link:" + id,
                        "%" + id + "%")
                    .list()
                    .stream()
                    .map(e -> e.action + ":" + e.outcome)
                    .toList());
  }

  record Created(UUID id, String url) {}
}
