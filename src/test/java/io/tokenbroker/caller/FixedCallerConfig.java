package io.tokenbroker.caller;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Caller configuration as plain values, for tests of the policy without Quarkus. */
record FixedCallerConfig(
    String nameClaim, Map<String, Set<String>> clientCredentials, Path embeddedKeyDirectory)
    implements CallerConfig {

  static FixedCallerConfig withClientCredentials(Map<String, Set<String>> clientCredentials) {
    return new FixedCallerConfig("sub", clientCredentials, Path.of("unused"));
  }
}
