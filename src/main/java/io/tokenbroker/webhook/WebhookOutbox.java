package io.tokenbroker.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenbroker.connection.StatusTransition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * Turns status transitions into outbox rows, in the transaction that writes the change: the event
 * exists exactly when the change committed, and survives any restart after that.
 */
@ApplicationScoped
public class WebhookOutbox {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebhookSettings settings;
  private final EntityManager em;
  private final ObjectMapper json;

  WebhookOutbox(WebhookSettings settings, EntityManager em, ObjectMapper json) {
    this.settings = settings;
    this.em = em;
    this.json = json;
  }

  /** MANDATORY: an announcement outside the change's transaction is a bug, not an event. */
  @Transactional(Transactional.TxType.MANDATORY)
  void onTransition(@Observes StatusTransition transition) {
    WebhookEventType type = WebhookEventType.of(transition).orElse(null);
    if (type == null || !settings.wants(type)) {
      return;
    }
    Instant now = Instant.now();
    WebhookDelivery row = new WebhookDelivery();
    row.id = newId();
    row.eventType = type.wire();
    row.connectionId = transition.connectionId();
    row.payload = payload(type, transition);
    row.state = WebhookDelivery.PENDING;
    row.createdAt = now;
    row.nextAttemptAt = now;
    row.giveUpAt = now.plus(settings.config().retry().giveUpAfter());
    em.persist(row);
  }

  /** {@code msg_} and 128 random bits: unique, and the same on every attempt of the event. */
  static String newId() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return "msg_" + HexFormat.of().formatHex(bits);
  }

  private String payload(WebhookEventType type, StatusTransition t) {
    ObjectNode body = json.createObjectNode();
    body.put("type", type.wire());
    body.put("timestamp", t.at().truncatedTo(ChronoUnit.MILLIS).toString());
    ObjectNode data = body.putObject("data");
    data.put("connection_id", t.connectionId().toString());
    data.put("provider", t.provider());
    ObjectNode account = data.putObject("account");
    account.put("id", t.accountId());
    account.put("username", t.accountUsername());
    data.put("label", t.label());
    data.put("status", t.current().wire());
    data.put("previous_status", t.previous() == null ? null : t.previous().wire());
    data.put("reason", t.reason());
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("webhook payload not serialisable", e);
    }
  }
}
