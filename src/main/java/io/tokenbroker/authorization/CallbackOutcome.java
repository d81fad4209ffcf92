package io.tokenbroker.authorization;

import java.util.Optional;
import java.util.UUID;

/** How a callback ended: a linked connection, or an error reported by the provider. */
public record CallbackOutcome(
    Optional<UUID> connectionId, Optional<String> error, Optional<String> returnTo) {

  static CallbackOutcome linked(UUID id, Optional<String> returnTo) {
    return new CallbackOutcome(Optional.of(id), Optional.empty(), returnTo);
  }

  static CallbackOutcome failed(String error, Optional<String> returnTo) {
    return new CallbackOutcome(Optional.empty(), Optional.of(error), returnTo);
  }
}
