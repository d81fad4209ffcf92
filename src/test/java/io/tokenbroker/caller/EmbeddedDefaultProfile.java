package io.tokenbroker.caller;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The broker as a newcomer starts it: the embedded database and no caller key configured, in a data
 * directory of its own for this run.
 */
public class EmbeddedDefaultProfile implements QuarkusTestProfile {

  static final Path DATA_DIR =
      Path.of("target", "test-data", "embedded-" + UUID.randomUUID()).toAbsolutePath();

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.datasource.jdbc.url",
        "jdbc:embedded-postgresql:" + DATA_DIR.resolve("postgres"),
        "broker.callers.embedded-key-directory",
        DATA_DIR.resolve("keys").toString(),
        // The first connection runs initdb, which takes longer than the pool's 5 s default on a
        // machine busy with other builds.
        "quarkus.datasource.jdbc.acquisition-timeout",
        "60S");
  }

  /** The run-wide PostgreSQL server and trusted test key are exactly what this mode lacks. */
  @Override
  public boolean disableGlobalTestResources() {
    return true;
  }
}
