package io.tokenbroker.exchange;

import io.tokenbroker.connection.ConnectionIds;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a token exchange asks a token for: a linked account ({@code
 * resource=urn:token-broker:connection:<id>}, or {@code audience=<id>}) or a provider's app token
 * ({@code resource=urn:token-broker:provider:<provider>}).
 */
record ExchangeTarget(UUID connectionId, String provider) {

  static final String CONNECTION_PREFIX = "urn:token-broker:connection:";
  static final String PROVIDER_PREFIX = "urn:token-broker:provider:";

  boolean isConnection() {
    return connectionId != null;
  }

  Optional<UUID> connection() {
    return Optional.ofNullable(connectionId);
  }

  /**
   * The one target that {@code resources} and {@code audiences} name together. RFC 8693 lets a
   * request name several; the broker issues a token for exactly one, so several distinct targets,
   * or one it cannot read, is {@code invalid_target}. None at all is a missing parameter.
   */
  static ExchangeTarget of(List<String> resources, List<String> audiences) {
    Set<ExchangeTarget> named = new LinkedHashSet<>();
    for (String resource : resources) {
      named.add(fromResource(resource));
    }
    for (String audience : audiences) {
      named.add(
          new ExchangeTarget(
              ConnectionIds.tryParse(audience).orElseThrow(OAuthError::invalidTarget), null));
    }
    if (named.isEmpty()) {
      throw OAuthError.invalidRequest(
          "Name what the token is for: resource="
              + CONNECTION_PREFIX
              + "<id> (or audience=<id>), or resource="
              + PROVIDER_PREFIX
              + "<provider>.");
    }
    if (named.size() > 1) {
      throw new OAuthError(
          400, OAuthError.INVALID_TARGET, "A token exchange issues a token for one resource only.");
    }
    return named.iterator().next();
  }

  private static ExchangeTarget fromResource(String resource) {
    // RFC 8141: the "urn" scheme and the namespace are case-insensitive; the rest is not.
    String lower = resource.toLowerCase(Locale.ROOT);
    if (lower.startsWith(CONNECTION_PREFIX)) {
      return new ExchangeTarget(
          ConnectionIds.tryParse(resource.substring(CONNECTION_PREFIX.length()))
              .orElseThrow(OAuthError::invalidTarget),
          null);
    }
    if (lower.startsWith(PROVIDER_PREFIX)) {
      String provider = resource.substring(PROVIDER_PREFIX.length());
      if (provider.isEmpty()) {
        throw OAuthError.invalidTarget();
      }
      return new ExchangeTarget(null, provider);
    }
    throw OAuthError.invalidTarget();
  }
}
