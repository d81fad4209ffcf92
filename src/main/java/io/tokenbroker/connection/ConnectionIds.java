package io.tokenbroker.connection;

import io.tokenbroker.problem.BrokerException;
import java.util.Optional;
import java.util.UUID;

/** Connection ids are UUIDs; anything else is refused before it reaches a query. */
public final class ConnectionIds {

  private ConnectionIds() {}

  public static UUID parse(String raw) {
    return tryParse(raw).orElseThrow(ConnectionIds::notFound);
  }

  /** What a caller gets for an id that is not one. */
  public static BrokerException notFound() {
    return BrokerException.notFound("No connection with this id.");
  }

  /** The id, or empty when {@code raw} is not a UUID in its canonical 36-character form. */
  public static Optional<UUID> tryParse(String raw) {
    if (raw == null || raw.length() != 36) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(raw));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
