package io.tokenbroker.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/** What the admin API shows of an outbox event (its body is metadata only, never a token). */
public record WebhookDeliveryView(
    String id,
    String type,
    @JsonProperty("connection_id") UUID connectionId,
    String state,
    int attempts,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("next_attempt_at") Instant nextAttemptAt,
    @JsonProperty("give_up_at") Instant giveUpAt,
    @JsonProperty("last_attempt_at") Instant lastAttemptAt,
    @JsonProperty("last_status") Integer lastStatus,
    @JsonProperty("last_error") String lastError,
    @JsonProperty("delivered_at") Instant deliveredAt,
    String payload) {

  static WebhookDeliveryView of(WebhookDelivery d) {
    return new WebhookDeliveryView(
        d.id,
        d.eventType,
        d.connectionId,
        d.state,
        d.attempts,
        d.createdAt,
        // While pending, the due time; after that it means nothing to a reader.
        WebhookDelivery.PENDING.equals(d.state) ? d.nextAttemptAt : null,
        d.giveUpAt,
        d.lastAttemptAt,
        d.lastStatus,
        d.lastError,
        d.deliveredAt,
        d.payload);
  }
}
