package io.tokenbroker.webhook;

import java.util.Base64;
import java.util.Optional;

/**
 * A Standard Webhooks signing secret: {@code whsec_} and the base64 of the key bytes. {@link
 * #toString()} never shows the key.
 */
final class WebhookSecret {

  static final String PREFIX = "whsec_";
  static final int MIN_BYTES = 24;
  static final int MAX_BYTES = 64;

  private final byte[] key;

  private WebhookSecret(byte[] key) {
    this.key = key;
  }

  /** The secret, or empty when {@code text} is not {@code whsec_<base64 of 24..64 bytes>}. */
  static Optional<WebhookSecret> parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      return Optional.empty();
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text.substring(PREFIX.length()).trim());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return key.length < MIN_BYTES || key.length > MAX_BYTES
        ? Optional.empty()
        : Optional.of(new WebhookSecret(key));
  }

  /** What a valid secret looks like, for the start failure's message. */
  static String expectedFormat() {
    return PREFIX + "<base64 of " + MIN_BYTES + " to " + MAX_BYTES + " random bytes>";
  }

  byte[] key() {
    return key.clone();
  }

  @Override
  public String toString() {
    return "WebhookSecret[redacted]";
  }
}
