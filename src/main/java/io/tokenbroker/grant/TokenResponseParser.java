package io.tokenbroker.grant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenbroker.provider.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads RFC 6749 section 5.1 token responses, tolerant of the shapes providers really send:
 * Pinterest's {@code expires_in} as a string, {@code refresh_token_expires_in} / {@code
 * refresh_token_expires_at}, and scopes separated by spaces or commas.
 */
@ApplicationScoped
class TokenResponseParser {

  private static final int MAX_BODY = 64 * 1024;

  private final ObjectMapper json;

  TokenResponseParser(ObjectMapper json) {
    this.json = json;
  }

  TokenEndpointClient.Attempt parse(GrantType grant, Response answer) {
    int status = answer.getStatus();
    JsonNode body = readJson(answer);
    if (status / 100 != 2) {
      return TokenEndpointClient.Attempt.failed(
          UpstreamFailures.fromErrorAnswer(status, body, answer));
    }
    if (body == null
        || !body.path("access_token").isTextual()
        || body.get("access_token").asText().isEmpty()) {
      // A success status with no usable token is a broken answer, not a verdict on the grant.
      return TokenEndpointClient.Attempt.failed(
          GrantFailure.providerMisbehaving(
              "unreadable_response", "the token response could not be read", status));
    }
    Instant now = Instant.now();
    Optional<String> refreshToken =
        Optional.ofNullable(body.get("refresh_token"))
            .filter(JsonNode::isTextual)
            .map(JsonNode::asText)
            .filter(t -> !t.isEmpty());
    Optional<Instant> refreshExpiry =
        seconds(body.get("refresh_token_expires_at"))
            .map(Instant::ofEpochSecond)
            .or(
                () ->
                    seconds(body.get("refresh_token_expires_in"))
                        .map(s -> now.plus(Duration.ofSeconds(s))));
    return TokenEndpointClient.Attempt.ok(
        new TokenResponse(
            body.get("access_token").asText(),
            body.path("token_type").asText("bearer"),
            seconds(body.get("expires_in")).map(s -> now.plus(Duration.ofSeconds(s))),
            refreshToken,
            refreshToken.isPresent() ? refreshExpiry : Optional.empty(),
            Scopes.parse(body.path("scope").isTextual() ? body.get("scope").asText() : null),
            now));
  }

  private JsonNode readJson(Response answer) {
    try {
      if (!answer.hasEntity()) {
        return null;
      }
      String text = answer.readEntity(String.class);
      if (text == null || text.isBlank() || text.length() > MAX_BODY) {
        return null;
      }
      JsonNode node = json.readTree(text);
      return node != null && node.isObject() ? node : null;
    } catch (Exception unreadable) {
      return null;
    }
  }

  /** A non-negative whole number of seconds, sent as a JSON number or a numeric string. */
  private static Optional<Long> seconds(JsonNode node) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (node.canConvertToLong() && node.isIntegralNumber()) {
      return Optional.of(node.asLong()).filter(v -> v >= 0);
    }
    if (node.isTextual() && node.asText().matches("\\d{1,12}")) {
      return Optional.of(Long.parseLong(node.asText()));
    }
    return Optional.empty();
  }
}
