package io.tokenbroker.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A private PostgreSQL server per data directory, started once per JVM and stopped with it. Data
 * survives restarts: the directory is reused, never cleaned.
 */
final class EmbeddedPostgresServer {

  static final String USER = "postgres";
  private static final Map<Path, EmbeddedPostgresServer> RUNNING = new HashMap<>();

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static synchronized EmbeddedPostgresServer start(String dataDir) throws SQLException {
    Path dir = Path.of(dataDir).toAbsolutePath().normalize();
    EmbeddedPostgresServer running = RUNNING.get(dir);
    if (running != null) {
      return running;
    }
    try {
      Files.createDirectories(dir);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              // Tokens written here must survive a crash like they would on a real server.
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("max_connections", "100")
              .start();
      EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres);
      RUNNING.put(dir, server);
      return server;
    } catch (IOException | RuntimeException e) {
      throw new SQLException("the embedded PostgreSQL server in " + dir + " did not start", e);
    }
  }

  String jdbcUrl() {
    return postgres.getJdbcUrl(USER, "postgres");
  }
}
