package io.tokenbroker.caller;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Body of {@code POST /dev/caller-token}: who the token names, its roles and its lifetime. */
record DevTokenRequest(
    @JsonProperty("subject") String subject,
    @JsonProperty("groups") List<String> groups,
    @JsonProperty("ttl_seconds") Long ttlSeconds) {

  private static final Set<String> KNOWN_ROLES = Set.of(Roles.BROKER_ADMIN, Roles.TOKEN_CONSUMER);

  /** What is wrong with the request, in words for the caller; empty when it is valid. */
  Optional<String> problem() {
    if (subject == null || !subject.matches(CallerNames.PATTERN)) {
      return Optional.of("subject: must be 1-255 printable characters without spaces or commas");
    }
    if (groups != null && !KNOWN_ROLES.containsAll(groups)) {
      return Optional.of(
          "groups: each must be " + Roles.BROKER_ADMIN + " or " + Roles.TOKEN_CONSUMER);
    }
    if (ttlSeconds != null
        && (ttlSeconds < 1 || ttlSeconds > DevCallerTokens.MAX_TTL.toSeconds())) {
      return Optional.of(
          "ttl_seconds: must be between 1 and " + DevCallerTokens.MAX_TTL.toSeconds());
    }
    return Optional.empty();
  }

  Set<String> roles() {
    return groups == null ? Set.of() : Set.copyOf(groups);
  }

  Duration ttl() {
    return ttlSeconds == null ? DevCallerTokens.DEFAULT_TTL : Duration.ofSeconds(ttlSeconds);
  }
}
