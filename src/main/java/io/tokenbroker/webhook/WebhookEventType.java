package io.tokenbroker.webhook;

import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.StatusTransition;
import java.util.Optional;

/** The event types a receiver can get, by their wire names. */
public enum WebhookEventType {
  LINKED("connection.linked"),
  DEGRADED("connection.degraded"),
  RECOVERED("connection.recovered"),
  REAUTHORIZATION_REQUIRED("connection.reauthorization_required"),
  REVOKED("connection.revoked");

  private final String wire;

  WebhookEventType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<WebhookEventType> fromWire(String value) {
    for (WebhookEventType type : values()) {
      if (type.wire.equals(value)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /**
   * What a transition means to the owning team, decided on the pair of statuses alone so that any
   * writer's transition is covered: a link is always {@code linked}; reaching a failure state is
   * that state's event; reaching {@code active} from a failure state is {@code recovered}.
   */
  public static Optional<WebhookEventType> of(StatusTransition t) {
    if (t.linked()) {
      return Optional.of(LINKED);
    }
    if (t.previous() == t.current()) {
      return Optional.empty();
    }
    return switch (t.current()) {
      case DEGRADED -> Optional.of(DEGRADED);
      case REAUTHORIZATION_REQUIRED -> Optional.of(REAUTHORIZATION_REQUIRED);
      case REVOKED -> Optional.of(REVOKED);
      case ACTIVE ->
          t.previous() == ConnectionStatus.DEGRADED
                  || t.previous() == ConnectionStatus.REAUTHORIZATION_REQUIRED
              ? Optional.of(RECOVERED)
              : Optional.empty();
    };
  }
}
