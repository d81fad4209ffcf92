package io.tokenbroker.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server that a test can stop and start again, like an operator restarting the
 * database or a failover: the same port and the same data directory, so the broker's unchanged JDBC
 * URL reaches it again and finds every row it wrote before. Stopping is PostgreSQL's fast shutdown:
 * open sessions are cut, committed data stays. Freezing suspends every server process instead
 * (SIGSTOP): connections are accepted by the kernel and never answered, as with a server that hangs
 * or a network path that silently drops packets.
 */
public final class RestartablePostgres implements AutoCloseable {

  public static final String USER = "postgres";

  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres server;
  private List<Long> frozen = List.of();
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

  /** Suspends the postmaster and every backend; nothing is answered until {@link #thaw}. */
  public synchronized void freeze() {
    if (server == null || !frozen.isEmpty()) {
      return;
    }
    ProcessHandle postmaster =
        ProcessHandle.of(postmasterPid())
            .orElseThrow(() -> new IllegalStateException("the postmaster is not running"));
    // The postmaster first: once it is stopped it forks no backend that a listing taken before
    // would miss (the pool and the change feed open connections at any moment).
    List<Long> pids = new ArrayList<>();
    pids.add(postmaster.pid());
    signal("-STOP", pids);
    List<Long> backends = new ArrayList<>();
    postmaster.descendants().forEach(p -> backends.add(p.pid()));
    if (!backends.isEmpty()) {
      signal("-STOP", backends);
    }
    pids.addAll(backends);
    frozen = List.copyOf(pids);
  }

  /** Resumes what {@link #freeze} suspended. */
  public synchronized void thaw() {
    if (frozen.isEmpty()) {
      return;
    }
    signal("-CONT", frozen);
    frozen = List.of();
  }

  /** Shuts the server down; returns once it no longer accepts connections. */
  public synchronized void stop() {
    thaw();
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

  private long postmasterPid() {
    try {
      // The first line of postmaster.pid is the postmaster's process id.
      return Long.parseLong(
          Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void signal(String signal, List<Long> pids) {
    List<String> command = new ArrayList<>(List.of("kill", signal));
    pids.forEach(pid -> command.add(Long.toString(pid)));
    try {
      Process kill = new ProcessBuilder(command).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("could not send " + signal + " to " + pids);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + pids, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
