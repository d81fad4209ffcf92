package io.tokenbroker.crypto;

import java.util.Optional;

/**
 * A provider's client secret, plus the previous one while a rotation is under way. {@link
 * #toString()} is redacted so that a secret cannot reach a log line by accident.
 */
public record ClientSecret(String current, Optional<String> previous) {

  public ClientSecret {
    if (current == null || current.isEmpty()) {
      throw new IllegalArgumentException("a client secret must not be empty");
    }
    previous = previous == null ? Optional.empty() : previous.filter(p -> !p.isEmpty());
  }

  public static ClientSecret of(String current) {
    return new ClientSecret(current, Optional.empty());
  }

  @Override
  public String toString() {
    return "ClientSecret[redacted" + (previous.isPresent() ? ", with previous" : "") + "]";
  }
}
