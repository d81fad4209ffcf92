package io.tokenbroker.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged broker ({@code target/quarkus-app/quarkus-run.jar}, built by {@code package} before
 * the {@code *IT} tests run) as a process of its own, as a container runs it: configured by system
 * properties, stopped by a real signal. Its console is kept line by line (and copied to a file
 * under {@code target/}) so a test can wait for what it logs.
 */
public final class BrokerProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final int port;
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private BrokerProcess(String name, int port, Process process, Path log) {
    this.name = name;
    this.port = port;
    this.process = process;
    Thread reader = new Thread(() -> copy(log), "broker-console-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** The jar the build packaged; the failsafe configuration names it. */
  public static Path jar() {
    Path jar =
        Path.of(System.getProperty("broker.jar", "target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run ./mvnw verify (package comes first)");
    }
    return jar;
  }

  /** Starts the jar with {@code settings} as system properties on {@code port}. */
  public static BrokerProcess start(String name, int port, Map<String, String> settings) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.put("quarkus.http.port", Integer.toString(port));
    all.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(jar().toString());
    try {
      Path logs = Files.createDirectories(Path.of("target", "broker-process-logs"));
      Process process =
          new ProcessBuilder(command).redirectErrorStream(true).directory(logs.toFile()).start();
      return new BrokerProcess(name, port, process, logs.resolve(name + ".log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  /** Waits until readiness answers 200; fails early when the process ends. */
  public void awaitReady(Duration timeout) {
    Poll.until(
        name + " ready (or ended: see target/broker-process-logs/" + name + ".log)",
        timeout,
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError(name + " ended with " + process.exitValue() + ":\n" + tail());
          }
          return status("/q/health/ready") == 200;
        });
  }

  /** Waits for a console line that {@code matches}; returns it. */
  public String awaitLine(String what, Duration timeout, Predicate<String> matches) {
    try {
      Poll.until(name + " logs " + what, timeout, () -> lines.stream().anyMatch(matches));
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + (process.isAlive() ? "" : " (it ended with " + process.exitValue() + ")")
              + "; its last lines:\n"
              + tail(),
          e);
    }
    return lines.stream().filter(matches).findFirst().orElseThrow();
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * SIGTERM, as Kubernetes sends it. Through the process handle: {@link Process#destroy} sends the
   * same signal but also closes this side of the console pipe, and every line of the shutdown would
   * be lost.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** Waits for the process to end; its exit code, or an assertion error at the bound. */
  public int awaitExit(Duration bound) {
    try {
      if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " still running after " + bound + ":\n" + tail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills what is left (a test that failed before its SIGTERM). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private String tail() {
    List<String> all = lines();
    return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
  }

  private void copy(Path log) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
        out.write(line);
        out.newLine();
        out.flush();
      }
    } catch (IOException e) {
      // The process ended and closed its console.
    }
  }
}
