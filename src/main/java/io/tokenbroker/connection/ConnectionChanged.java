package io.tokenbroker.connection;

import java.util.UUID;

/**
 * Fired (CDI event) after a connection's callers, tokens or status changed, so that in-process
 * caches drop their copy.
 */
public record ConnectionChanged(UUID connectionId) {}
