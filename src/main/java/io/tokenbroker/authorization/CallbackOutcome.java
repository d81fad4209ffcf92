package io.tokenbroker.authorization;

import java.util.Optional;
import java.util.UUID;

/**
 * How a callback ended: a linked connection, or an error reported by the provider. {@code source}
 * names the feature that started the authorization for someone else, if one did; {@code account} is
 * the linked account's name (or id).
 */
public record CallbackOutcome(
    Optional<UUID> connectionId,
    Optional<String> error,
    Optional<String> returnTo,
    Optional<String> source,
    Optional<String> account) {

  static CallbackOutcome linked(
      UUID id, Optional<String> returnTo, Optional<String> source, String account) {
    return new CallbackOutcome(
        Optional.of(id), Optional.empty(), returnTo, source, Optional.of(account));
  }

  static CallbackOutcome failed(String error, Optional<String> returnTo) {
    return new CallbackOutcome(
        Optional.empty(), Optional.of(error), returnTo, Optional.empty(), Optional.empty());
  }
}
