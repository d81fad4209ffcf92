package io.tokenbroker.caller;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Caller configuration as plain values, for tests without Quarkus. */
record FixedCallerConfig(
    String nameClaim,
    Map<String, Set<String>> clientCredentials,
    Path embeddedKeyDirectory,
    Duration verifiedTokenCacheTtl,
    long verifiedTokenCacheMaxEntries)
    implements CallerConfig {

  static FixedCallerConfig withClientCredentials(Map<String, Set<String>> clientCredentials) {
    return new FixedCallerConfig(
        "sub", clientCredentials, Path.of("unused"), Duration.ofSeconds(60), 100);
  }

  static FixedCallerConfig withVerifiedTokenCacheTtl(Duration ttl) {
    return new FixedCallerConfig("sub", Map.of(), Path.of("unused"), ttl, 100);
  }
}
