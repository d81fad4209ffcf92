package io.tokenbroker.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * One hostile request and what the broker must answer: the status, the stable problem code (or the
 * callback's HTML page), and nothing of the input or of its own internals in the body.
 *
 * @param code the problem {@code code}, or {@link #HTML_PAGE} for the callback's page, or {@link
 *     #ANY_BODY} where the HTTP layer answers before the broker's code runs
 * @param secrets values from the request that must not come back
 */
record BadInput(String name, HttpProbe probe, int status, String code, List<String> secrets) {

  static final String HTML_PAGE = "<html page>";
  static final String ANY_BODY = "<no problem document>";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fragments of a stack trace or of class names; none belongs in an answer. */
  private static final List<String> INTERNALS =
      List.of(
          "Exception",
          "\tat ",
          "at io.",
          "at java.",
          "io.tokenbroker.",
          "java.lang",
          "jakarta.",
          "org.hibernate",
          "org.postgresql",
          "io.vertx",
          "io.quarkus",
          "com.fasterxml",
          "org.jose4j",
          "SQLState");

  BadInput(String name, HttpProbe probe, int status, String code, String... secrets) {
    this(name, probe, status, code, List.of(secrets));
  }

  @Override
  public String toString() {
    return name + " [" + probe.describe() + "]";
  }

  /** Fires the request and checks the answer and that no stored row moved. */
  void fireAndCheck() {
    DatabaseFingerprint before = DatabaseFingerprint.take();
    HttpResponse<String> response = probe.send();
    String body = response.body();
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    assertThat(response.statusCode()).as("status of %s; body %s", this, body).isEqualTo(status);
    if (HTML_PAGE.equals(code)) {
      assertThat(contentType).as("content type of %s", this).startsWith("text/html");
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    } else if (!ANY_BODY.equals(code)) {
      assertThat(contentType).as("content type of %s", this).startsWith("application/problem+json");
      assertThat(problemCode(body)).as("problem code of %s; body %s", this, body).isEqualTo(code);
    }
    for (String internal : INTERNALS) {
      assertThat(body).as("body of %s leaks internals", this).doesNotContain(internal);
    }
    for (String secret : secrets) {
      assertThat(body).as("body of %s echoes its input", this).doesNotContain(secret);
    }
    assertThat(DatabaseFingerprint.take()).as("database after %s", this).isEqualTo(before);
  }

  private static String problemCode(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node.path("code").asText(null);
    } catch (IOException e) {
      throw new AssertionError("problem document is not JSON: " + body, e);
    }
  }
}
