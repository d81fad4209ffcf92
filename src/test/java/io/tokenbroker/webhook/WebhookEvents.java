package io.tokenbroker.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenbroker.support.Poll;
import io.tokenbroker.support.webhook.WebhookReceiver;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Reads what the test receiver got: events of one connection, by type, waited for. */
final class WebhookEvents {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookEvents() {}

  static JsonNode body(WebhookReceiver.Received r) {
    try {
      return JSON.readTree(r.body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean about(WebhookReceiver.Received r, UUID connection, String type) {
    JsonNode body = body(r);
    return body.path("type").asText().equals(type)
        && body.path("data").path("connection_id").asText().equals(connection.toString());
  }

  /** Every request that carried events of {@code connection}, in arrival order. */
  static List<String> types(WebhookReceiver receiver, UUID connection) {
    return receiver
        .received(
            r -> body(r).path("data").path("connection_id").asText().equals(connection.toString()))
        .stream()
        .map(r -> body(r).path("type").asText())
        .toList();
  }

  /** Waits for the event and returns the (first) request that carried it. */
  static WebhookReceiver.Received await(WebhookReceiver receiver, UUID connection, String type) {
    Poll.until(
        type + " for " + connection,
        Duration.ofSeconds(20),
        () -> !receiver.received(r -> about(r, connection, type)).isEmpty());
    return receiver.received(r -> about(r, connection, type)).get(0);
  }
}
