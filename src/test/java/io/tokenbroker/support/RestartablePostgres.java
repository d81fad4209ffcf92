package io.tokenbroker.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server that a test can stop and start again, like an operator restarting the
 * database or a failover: the same port and the same data directory, so the broker's unchanged JDBC
 * URL reaches it again and finds every row it wrote before. Stopping is PostgreSQL's fast shutdown:
 * open sessions are cut, committed data stays.
 */
public final class RestartablePostgres implements AutoCloseable {

  public static final String USER = "postgres";

  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres server;
  private boolean closed;

  private RestartablePostgres(Path dataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.port = port;
  }

  /** A new server on a free port with a fresh data directory under {@code target/}. */
  public static RestartablePostgres start() {
    try {
      Path parent = Files.createDirectories(Path.of("target", "test-data", "restartable-postgres"));
      RestartablePostgres postgres =
          new RestartablePostgres(
              Files.createTempDirectory(parent.toAbsolutePath(), "pg"), freePort());
      postgres.startAgain();
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL the broker is configured with; it stays valid across stop and start. */
  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  public synchronized boolean running() {
    return server != null;
  }

  /** Shuts the server down; returns once it no longer accepts connections. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      server = null;
    }
  }

  /** Starts the server on the same port and data directory; returns once it accepts queries. */
  public synchronized void startAgain() {
    if (closed) {
      throw new IllegalStateException("this server was closed for good");
    }
    if (server != null) {
      return;
    }
    try {
      server =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              // initdb on the first start only: later starts must find the broker's rows.
              .setCleanDataDirectory(false)
              .setPort(port)
              // Committed rows must survive the stop exactly as on a production server.
              .setServerConfig("synchronous_commit", "on")
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server for good and deletes its data directory. */
  @Override
  public synchronized void close() {
    closed = true;
    stop();
    try (Stream<Path> files = Files.walk(dataDirectory)) {
      files.sorted(Comparator.reverseOrder()).forEach(RestartablePostgres::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
