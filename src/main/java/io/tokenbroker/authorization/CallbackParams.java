package io.tokenbroker.authorization;

import java.util.Optional;

/** What the provider sent back through the browser. */
public record CallbackParams(
    Optional<String> provider,
    Optional<String> state,
    Optional<String> code,
    Optional<String> error) {}
