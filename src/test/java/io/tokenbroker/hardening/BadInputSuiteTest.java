package io.tokenbroker.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Hundreds of hostile requests, generated from fixed seeds, fired over real HTTP at the real
 * endpoints. Each must get its documented status and stable problem code (or the callback's page),
 * must not see its input or the broker's internals echoed, and must leave every stored row as it
 * was. Families: caller JWTs, callback parameters, API bodies, ids and path tricks, return_to.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class BadInputSuiteTest {

  private static final long SEED = 20261128L;
  private static final String CONSUMER = "svc-hardening";
  private static final String CANARY = "Zq9canaryX7";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  private UUID linked(String username) {
    return LinkedAccounts.link(pinterest, username, CONSUMER).id();
  }

  private static Stream<DynamicTest> run(List<BadInput> cases) {
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.toString(), c::fireAndCheck));
  }

  @TestFactory
  Stream<DynamicTest> hostileCallerJwtsAreUnauthenticated() {
    String path = "/v1/connections/" + linked("hardening-jwt") + "/access-token";
    List<BadInput> cases = new ArrayList<>();
    new HostileJwts(SEED, CONSUMER)
        .all()
        .forEach(
            (name, token) ->
                cases.add(
                    new BadInput(
                        "jwt: " + name,
                        HttpProbe.request("POST", path).bearer(token).json("{}"),
                        401,
                        "unauthenticated",
                        token.length() > 40 ? token.substring(token.length() - 40) : CANARY)));
    String valid = CallerTokens.token(CONSUMER, "token-consumer");
    Map<String, String> authorizations = new LinkedHashMap<>();
    authorizations.put("no scheme", valid);
    authorizations.put("Basic scheme", "Basic " + valid);
    authorizations.put("Bearer without token", "Bearer");
    authorizations.put("Bearer with only spaces", "Bearer    ");
    authorizations.put("two tokens", "Bearer " + valid + " " + valid);
    authorizations.put("token with trailing junk", "Bearer " + valid + "junk");
    authorizations.forEach(
        (name, header) ->
            cases.add(
                new BadInput(
                    "authorization header: " + name,
                    HttpProbe.request("POST", path).header("Authorization", header).json("{}"),
                    401,
                    "unauthenticated",
                    valid.substring(valid.length() - 40))));
    cases.add(
        new BadInput(
            "token in the query instead of the header",
            HttpProbe.request("POST", path + "?access_token=" + valid).json("{}"),
            401,
            "unauthenticated",
            valid.substring(valid.length() - 40)));
    return run(cases);
  }

  @TestFactory
  Stream<DynamicTest> hostileCallbackParametersGetTheErrorPage() {
    Random random = new Random(SEED);
    List<BadInput> cases = new ArrayList<>();
    String base = "/v1/oauth/callback";
    for (int i = 0; i < 40; i++) {
      String state = randomText(random, 1 + random.nextInt(i % 8 == 0 ? 1500 : 80));
      String code = randomText(random, 1 + random.nextInt(60));
      cases.add(
          page(
              "random state and code #" + i,
              base + "?state=" + enc(state + CANARY) + "&code=" + enc(code + CANARY)));
    }
    String state = "s" + CANARY;
    String code = "c" + CANARY;
    cases.add(page("no parameters", base));
    cases.add(page("code without state", base + "?code=" + code));
    cases.add(page("state without code or error", base + "?state=" + state));
    cases.add(page("empty state", base + "?state=&code=" + code));
    cases.add(page("empty code", base + "?state=" + state + "&code="));
    cases.add(
        page("duplicate state", base + "?state=" + state + "&state=" + state + "2&code=" + code));
    cases.add(
        page("duplicate code", base + "?state=" + state + "&code=" + code + "&code=" + code + "2"));
    cases.add(page("duplicate error", base + "?state=" + state + "&error=a&error=b"));
    cases.add(page("state of 4000 characters", base + "?state=" + "s".repeat(3990) + CANARY));
    cases.add(
        page("code of 3500 characters", base + "?state=" + state + "&code=" + "c".repeat(3500)));
    cases.add(
        page(
            "unicode state",
            base + "?state=" + enc("\u202e\u0000\ud83d\ude00" + CANARY) + "&code=" + code));
    cases.add(
        page("state with encoded newline", base + "?state=" + enc("a\r\nSet-Cookie: x=" + CANARY)));
    List<String> errors =
        List.of(
            "<script>alert('" + CANARY + "')</script>",
            "\"><img src=x onerror=alert(1)>" + CANARY,
            "access_denied\r\nLocation: https://evil.test/" + CANARY,
            "\u0000\u0007\u001b[31m" + CANARY,
            "access_denied&error_description=" + CANARY,
            "\u00e9\u4e2d\ud83d\ude00" + CANARY,
            "x".repeat(1500) + CANARY,
            "javascript:alert(1)//" + CANARY);
    for (int i = 0; i < errors.size(); i++) {
      cases.add(page("error #" + i + " without state", base + "?error=" + enc(errors.get(i))));
      cases.add(
          page(
              "error #" + i + " with an unknown state",
              base
                  + "?state="
                  + state
                  + "&error="
                  + enc(errors.get(i))
                  + "&error_description="
                  + enc(errors.get(i))));
    }
    // Past Vert.x's 4096-byte request line the HTTP layer answers 414 before any broker code runs.
    cases.add(
        new BadInput(
            "callback: URL over the request-line limit",
            HttpProbe.request(
                "GET", base + "?state=" + state + "&error=" + "e".repeat(5000) + CANARY),
            414,
            BadInput.ANY_BODY,
            CANARY));
    for (String provider :
        List.of(
            "unknown", "pinterest%2f..", "..%2f..%2fq%2fmetrics", enc("\u00e9"), "x".repeat(300))) {
      cases.add(
          page(
              "per-provider callback " + provider,
              base + "/" + provider + "?state=" + state + "&code=" + code));
    }
    return run(cases);
  }

  /**
   * A key given twice is a parser differential (a gateway may act on the first value, Jackson on
   * the last): refused on every endpoint that reads a body, whichever field and however nested.
   */
  @TestFactory
  Stream<DynamicTest> duplicateJsonKeysAreMalformedOnEveryEndpoint() {
    UUID id = linked("hardening-duplicates");
    String admin = CallerTokens.admin();
    String consumer = CallerTokens.token(CONSUMER, "token-consumer");
    String app = CallerTokens.token("svc-app", "token-consumer");
    Map<Target, List<String>> bodies = new LinkedHashMap<>();
    bodies.put(
        new Target("access-token", "POST", "/v1/connections/" + id + "/access-token", consumer),
        List.of(
            "{\"min_ttl_seconds\":60,\"min_ttl_seconds\":61}",
            "{\"scopes\":[\"boards:read\"],\"scopes\":[\"pins:read\"]}"));
    bodies.put(
        new Target("client-token", "POST", "/v1/providers/pinterest/client-token", app),
        List.of(
            "{\"min_ttl_seconds\":60,\"min_ttl_seconds\":61}",
            "{\"scopes\":[],\"min_ttl_seconds\":60,\"scopes\":[\"ads:read\"]}"));
    bodies.put(
        new Target("authorizations", "POST", "/v1/authorizations", admin),
        List.of(
            "{\"provider\":\"pinterest\",\"provider\":\"other\"}",
            "{\"provider\":\"pinterest\",\"allowed_callers\":[\"a\"],"
                + "\"allowed_callers\":[\"b\"]}",
            "{\"provider\":\"pinterest\",\"label\":\"x\",\"label\":\"y\"}"));
    bodies.put(
        new Target("callers", "PUT", "/v1/connections/" + id + "/callers", admin),
        List.of(
            "{\"allowed_callers\":[\"" + CONSUMER + "\"],\"allowed_callers\":[\"intruder\"]}",
            "{\"allowed_callers\":[],\"allowed_callers\":[\"intruder\"]}"));
    List<BadInput> cases = new ArrayList<>();
    bodies.forEach(
        (target, list) -> {
          for (String body : list) {
            cases.add(target.bad("duplicate key " + shorten(body), body, 400, "malformed_request"));
          }
        });
    return run(cases);
  }

  @TestFactory
  Stream<DynamicTest> hostileBodiesGetProblemsAndChangeNothing() {
    UUID id = linked("hardening-bodies");
    String admin = CallerTokens.admin();
    String consumer = CallerTokens.token(CONSUMER, "token-consumer");
    String app = CallerTokens.token("svc-app", "token-consumer");
    List<Target> targets =
        List.of(
            new Target("access-token", "POST", "/v1/connections/" + id + "/access-token", consumer),
            new Target("client-token", "POST", "/v1/providers/pinterest/client-token", app),
            new Target("authorizations", "POST", "/v1/authorizations", admin),
            new Target("callers", "PUT", "/v1/connections/" + id + "/callers", admin));
    List<BadInput> cases = new ArrayList<>();
    for (Target target : targets) {
      for (String body : malformedJson()) {
        cases.add(target.bad("malformed JSON " + shorten(body), body, 400, "malformed_request"));
      }
      cases.add(
          target.bad(
              "deep nesting (arrays)",
              "[".repeat(5000) + "]".repeat(5000),
              400,
              "malformed_request"));
      cases.add(
          target.bad(
              "deep nesting (objects)",
              "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
              400,
              "malformed_request"));
      cases.add(
          target.bad(
              "oversized body (70 KiB)",
              "{\"label\":\"" + "x".repeat(70 * 1024) + CANARY + "\"}",
              413,
              "payload_too_large"));
      cases.add(
          target.bad(
              "unknown field",
              "{\"unexpected_field\":\"" + CANARY + "\"}",
              400,
              "malformed_request"));
      cases.add(
          new BadInput(
              target.name + ": text/plain body",
              HttpProbe.request(target.method, target.path)
                  .bearer(target.token)
                  .header("Content-Type", "text/plain")
                  .json("{}"),
              415,
              "unsupported_media_type"));
      cases.add(
          new BadInput(
              target.name + ": form body",
              HttpProbe.request(target.method, target.path)
                  .bearer(target.token)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .json("a=" + CANARY),
              415,
              "unsupported_media_type",
              CANARY));
    }
    for (Target target : targets.subList(0, 2)) {
      for (String field : List.of("min_ttl_seconds", "scopes")) {
        for (String value : wrongTypes(field)) {
          cases.add(
              target.bad(
                  "wrong type " + field + "=" + shorten(value),
                  "{\"" + field + "\":" + value + "}",
                  400,
                  "malformed_request"));
        }
      }
      for (String value : List.of("-1", "2592001", "2147483647", "-2147483648")) {
        cases.add(
            target.bad(
                "min_ttl_seconds out of range " + value,
                "{\"min_ttl_seconds\":" + value + "}",
                400,
                "validation_failed"));
      }
      for (String scope : hostileScopes()) {
        cases.add(
            target.bad(
                "scope " + shorten(scope),
                "{\"scopes\":[" + quote(scope) + "]}",
                400,
                "validation_failed"));
      }
      cases.add(
          target.bad(
              "51 scopes",
              "{\"scopes\":["
                  + String.join(",", java.util.Collections.nCopies(51, "\"boards:read\""))
                  + "]}",
              400,
              "validation_failed"));
      cases.add(target.bad("null scope", "{\"scopes\":[null]}", 400, "validation_failed"));
    }
    Target start = targets.get(2);
    Target callers = targets.get(3);
    for (String caller : hostileCallerNames()) {
      cases.add(
          start.bad(
              "allowed caller " + shorten(caller),
              "{\"provider\":\"pinterest\",\"allowed_callers\":[" + quote(caller) + "]}",
              400,
              "validation_failed"));
      cases.add(
          callers.bad(
              "allowed caller " + shorten(caller),
              "{\"allowed_callers\":[" + quote(caller) + "]}",
              400,
              "validation_failed"));
    }
    for (String scope : hostileScopes()) {
      cases.add(
          start.bad(
              "scope " + shorten(scope),
              "{\"provider\":\"pinterest\",\"scopes\":[" + quote(scope) + "]}",
              400,
              "validation_failed"));
    }
    for (String field : List.of("provider", "scopes", "return_to", "allowed_callers", "label")) {
      for (String value : List.of("1", "true", "{}", "[[]]", "[{}]", "1e999")) {
        if (field.equals("scopes") || field.equals("allowed_callers")) {
          if (value.equals("1") || value.equals("true") || value.equals("1e999")) {
            continue; // a scalar for a list is covered by the next line's object form
          }
        } else if (value.equals("1") || value.equals("true") || value.equals("1e999")) {
          continue; // Jackson reads scalars into strings; covered by the validation cases
        }
        cases.add(
            start.bad(
                "wrong type " + field + "=" + value,
                "{\"provider\":\"pinterest\",\"" + field + "\":" + value + "}",
                400,
                "malformed_request"));
      }
    }
    for (String label :
        List.of("a\u0000b", "line\nbreak", "tab\there", "\u001b[31mred", "x".repeat(256))) {
      cases.add(
          start.bad(
              "label " + shorten(label),
              "{\"provider\":\"pinterest\",\"label\":" + quote(label) + "}",
              400,
              "validation_failed"));
    }
    cases.add(
        start.bad(
            "label with an escaped lone surrogate",
            "{\"provider\":\"pinterest\",\"label\":\"lone \\ud800 surrogate\"}",
            400,
            "validation_failed"));
    cases.add(start.bad("no provider", "{}", 400, "validation_failed"));
    cases.add(start.bad("blank provider", "{\"provider\":\"  \"}", 400, "validation_failed"));
    cases.add(start.bad("null body", "null", 400, "validation_failed"));
    cases.add(callers.bad("null body", "null", 400, "validation_failed"));
    cases.add(callers.bad("no list", "{}", 400, "validation_failed"));
    cases.add(
        callers.bad(
            "101 callers",
            "{\"allowed_callers\":["
                + String.join(
                    ",",
                    java.util.stream.IntStream.range(0, 101)
                        .mapToObj(i -> "\"svc-" + i + "\"")
                        .toList())
                + "]}",
            400,
            "validation_failed"));
    return run(cases);
  }

  @TestFactory
  Stream<DynamicTest> idsThatAreNotIdsAreNotFound() {
    UUID id = linked("hardening-ids");
    String admin = CallerTokens.admin();
    String consumer = CallerTokens.token(CONSUMER, "token-consumer");
    List<String> ids =
        List.of(
            "1",
            "0",
            "-1",
            "null",
            "undefined",
            "true",
            "%20",
            id.toString().replace("-", ""),
            "%7B" + id + "%7D",
            id + "%00",
            id + "%20",
            "%20" + id,
            id.toString().substring(1),
            id + "0",
            "00000000-0000-0000-0000-00000000000g",
            "0-0-0-0-0",
            "1'%20or%20'1'='1",
            "%27%3B%20drop%20table%20connection%3B--",
            "..",
            "..%2f",
            "..%2f..%2fq%2fmetrics",
            "%2e%2e%2f%2e%2e%2fq%2fhealth",
            "%2e%2e",
            "..;",
            "a%2fb",
            "a%5cb",
            "%252e%252e%252f",
            id + "%2f..",
            "%E2%80%AE" + id,
            enc("\u0661\u0662\u0663"),
            "%C0%AE%C0%AE",
            "a".repeat(3000),
            UUID.randomUUID().toString());
    List<BadInput> cases = new ArrayList<>();
    for (String bad : ids) {
      String base = "/v1/connections/" + bad;
      cases.add(
          notFound("GET connection " + shorten(bad), HttpProbe.request("GET", base).bearer(admin)));
      cases.add(
          notFound(
              "DELETE connection " + shorten(bad),
              HttpProbe.request("DELETE", base).bearer(admin)));
      cases.add(
          notFound(
              "PUT callers " + shorten(bad),
              HttpProbe.request("PUT", base + "/callers")
                  .bearer(admin)
                  .json("{\"allowed_callers\":[\"svc-x\"]}")));
      cases.add(
          notFound(
              "POST refresh " + shorten(bad),
              HttpProbe.request("POST", base + "/refresh").bearer(admin)));
      cases.add(
          notFound(
              "POST access-token " + shorten(bad),
              HttpProbe.request("POST", base + "/access-token").bearer(consumer).json("{}")));
    }
    for (String provider :
        List.of(
            "unknown", "PINTEREST", "pinterest%2f..", "..%2f..", "x".repeat(500), enc("\u00e9"))) {
      cases.add(
          notFound(
              "client-token for provider " + shorten(provider),
              HttpProbe.request("POST", "/v1/providers/" + provider + "/client-token")
                  .bearer(CallerTokens.token("svc-app", "token-consumer"))
                  .json("{}")));
    }
    return run(cases);
  }

  @TestFactory
  Stream<DynamicTest> returnToOffTheAllowListIsRefusedWithoutCreatingAnything() {
    String admin = CallerTokens.admin();
    List<BadInput> cases = new ArrayList<>();
    for (String returnTo : OpenRedirects.variants(SEED)) {
      String body =
          "{\"provider\":\"pinterest\",\"allowed_callers\":[\"svc-x\"],\"return_to\":"
              + quote(returnTo)
              + "}";
      cases.add(
          new BadInput(
              "return_to " + shorten(returnTo),
              HttpProbe.request("POST", "/v1/authorizations").bearer(admin).json(body),
              400,
              "validation_failed",
              "evil.test",
              returnTo.isEmpty() ? CANARY : returnTo));
    }
    return run(cases);
  }

  /**
   * Controls for the suite: the same requests made well are accepted, so the refusals above are the
   * broker judging the input and not the harness failing to reach it.
   */
  @Test
  void wellFormedCounterpartsOfTheHostileRequestsAreAccepted() {
    UUID id = linked("hardening-control");
    String path = "/v1/connections/" + id + "/access-token";
    String consumer = CallerTokens.token(CONSUMER, "token-consumer");
    assertThat(HttpProbe.request("POST", path).bearer(consumer).json("{}").send().statusCode())
        .isEqualTo(200);
    assertThat(
            HttpProbe.request("POST", path)
                .bearer(consumer)
                .json("{\"min_ttl_seconds\":300,\"scopes\":[\"boards:read\"]}")
                .send()
                .statusCode())
        .isEqualTo(200);
    assertThat(
            HttpProbe.request("POST", "/v1/providers/pinterest/client-token")
                .bearer(CallerTokens.token("svc-app", "token-consumer"))
                .json("{}")
                .send()
                .statusCode())
        .as("an app token with the provider's default scopes")
        .isEqualTo(200);
    String emojiLabel =
        "{\"provider\":\"pinterest\",\"label\":\"shop \\ud83d\\ude00\",\"return_to\":\""
            + OpenRedirects.ALLOWED
            + "/done\"}";
    assertThat(
            HttpProbe.request("POST", "/v1/authorizations")
                .bearer(CallerTokens.admin())
                .json(emojiLabel)
                .send()
                .statusCode())
        .as("a paired surrogate (an emoji) is a valid label; an allowed return_to passes")
        .isEqualTo(201);
  }

  // --- generators --------------------------------------------------------------------------

  private static List<String> malformedJson() {
    return List.of(
        "{",
        "}",
        "{\"min_ttl_seconds\":}",
        "{\"a\" 1}",
        "{'scopes':['x']}",
        "{\"scopes\":[\"boards:read\",]}",
        "{\"scopes\":[\"boards:read\"]}}",
        "{\"scopes\":[\"boards:read\"]} " + CANARY,
        "{\"min_ttl_seconds\":300,}",
        "{\"min_ttl_seconds\":0x10}",
        "{\"min_ttl_seconds\":NaN}",
        "{\"min_ttl_seconds\":01}",
        "{\"label\":\"unterminated " + CANARY + "}",
        "{\"label\":\"bad escape \\q " + CANARY + "\"}",
        "/* comment */ {}",
        "\u0000{}",
        CANARY,
        "[]",
        "\"string\"",
        "42",
        "{\"a\":1,\"a\":2}");
  }

  private static List<String> wrongTypes(String field) {
    return field.equals("min_ttl_seconds")
        ? List.of(
            "\"abc\"",
            "true",
            "[]",
            "{}",
            "[300]",
            "99999999999999999999",
            "1e400",
            "-99999999999999999999999999999999",
            "1.5",
            "\"300\"")
        : List.of("\"boards:read\"", "{}", "[{}]", "[[\"boards:read\"]]", "true", "42");
  }

  private static List<String> hostileScopes() {
    return List.of(
        "",
        " ",
        "boards:read pins:read",
        "boards:read,pins:read",
        "boards:read\tpins:read",
        "boards:read\npins:read",
        "boards:read\u0000",
        "\u00e9crire",
        "\ud83d\ude00",
        "\u202eboards:read",
        "\"",
        "\\",
        "x".repeat(257));
  }

  private static List<String> hostileCallerNames() {
    return List.of(
        "",
        "svc orders",
        "svc,orders",
        "svc\torders",
        "svc\norders",
        "svc\u0000",
        "svc\u007f",
        "svc-\u00e9",
        "svc-\ud83d\ude00",
        "\u202esvc",
        "x".repeat(256));
  }

  // --- helpers -----------------------------------------------------------------------------

  private record Target(String name, String method, String path, String token) {
    BadInput bad(String what, String body, int status, String code) {
      return new BadInput(
          name + ": " + what,
          HttpProbe.request(method, path).bearer(token).json(body),
          status,
          code,
          CANARY);
    }
  }

  private static BadInput page(String name, String pathAndQuery) {
    return new BadInput(
        "callback: " + name,
        HttpProbe.request("GET", pathAndQuery),
        400,
        BadInput.HTML_PAGE,
        CANARY,
        "<script",
        "<img");
  }

  private static BadInput notFound(String name, HttpProbe probe) {
    return new BadInput("id: " + name, probe, 404, "not_found", "drop table", "or '1'");
  }

  private static String randomText(Random random, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        text.append((char) ('!' + random.nextInt(94)));
      } else if (kind < 8) {
        text.append((char) (0x00A0 + random.nextInt(0x2000)));
      } else {
        text.append((char) random.nextInt(0x20));
      }
    }
    return text.toString();
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String shorten(String text) {
    String printable = text.replaceAll("\\p{Cntrl}", "?");
    return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
  }
}
