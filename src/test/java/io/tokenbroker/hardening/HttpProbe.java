package io.tokenbroker.hardening;

import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends one request exactly as written — raw path, raw query, raw body — to the broker under test.
 * RestAssured would re-encode paths and queries, which hides the very tricks these tests send.
 */
final class HttpProbe {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final String method;
  private final String rawPathAndQuery;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private String body;

  private HttpProbe(String method, String rawPathAndQuery) {
    this.method = method;
    this.rawPathAndQuery = rawPathAndQuery;
  }

  static HttpProbe request(String method, String rawPathAndQuery) {
    return new HttpProbe(method, rawPathAndQuery);
  }

  HttpProbe bearer(String token) {
    headers.put("Authorization", "Bearer " + token);
    return this;
  }

  HttpProbe header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  HttpProbe json(String json) {
    headers.putIfAbsent("Content-Type", "application/json");
    this.body = json;
    return this;
  }

  String describe() {
    String shown =
        rawPathAndQuery.length() > 80 ? rawPathAndQuery.substring(0, 80) + "…" : rawPathAndQuery;
    return method + " " + shown;
  }

  HttpResponse<String> send() {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + rawPathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    try {
      return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
