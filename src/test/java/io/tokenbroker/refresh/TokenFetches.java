package io.tokenbroker.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenbroker.support.CallerTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * {@code POST /v1/connections/{id}/access-token} as a service calls it, safe to use from many
 * threads at once (RestAssured's static configuration is not meant for that).
 */
final class TokenFetches {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI broker;
  private final String callerJwt = CallerTokens.token(RefreshFixture.CALLER, "token-consumer");

  TokenFetches(URI broker) {
    this.broker = broker;
  }

  /** One answer: the status, the parsed body and the Retry-After header, if any. */
  record Answer(int status, JsonNode body, String retryAfter) {
    String accessToken() {
      return body.path("access_token").asText(null);
    }

    String code() {
      return body.path("code").asText(null);
    }
  }

  Answer fetch(UUID connection, long minTtlSeconds) {
    HttpRequest request =
        HttpRequest.newBuilder(broker.resolve("/v1/connections/" + connection + "/access-token"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + callerJwt)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString("{\"min_ttl_seconds\":" + minTtlSeconds + "}"))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          JSON.readTree(response.body()),
          response.headers().firstValue("Retry-After").orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
