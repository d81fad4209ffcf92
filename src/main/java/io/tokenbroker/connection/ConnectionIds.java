package io.tokenbroker.connection;

import io.tokenbroker.problem.BrokerException;
import java.util.UUID;

/** Connection ids are UUIDs; anything else is refused before it reaches a query. */
public final class ConnectionIds {

  private ConnectionIds() {}

  public static UUID parse(String raw) {
    try {
      if (raw == null || raw.length() != 36) {
        throw new IllegalArgumentException();
      }
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw BrokerException.notFound("No connection with this id.");
    }
  }
}
