package io.tokenbroker.connection;

import io.tokenbroker.grant.TokenResponse;
import java.util.Optional;
import java.util.Set;

/** Everything a completed authorization hands to the connection store. */
public record LinkedGrant(
    String provider,
    String accountId,
    Optional<String> accountName,
    TokenResponse tokens,
    Set<String> grantedScopes,
    Set<String> allowedCallers,
    Optional<String> label,
    String linkedBy) {}
