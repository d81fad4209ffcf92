package io.tokenbroker.hardening;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.tokenbroker.support.CallerTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Callers fetching tokens over real HTTP, without pause, until stopped: each thread goes round the
 * given connections. Every answer is kept, so a test can say what callers saw before, during and
 * after a fault, and can wait (without sleeping) until each connection was served again after some
 * moment.
 */
final class CallerLoad implements AutoCloseable {

  /** One answer: which connection, when the request started, how long it took, what came back. */
  record Answer(
      UUID connection,
      long startedNanos,
      Duration took,
      int status,
      String accessToken,
      String requestId,
      String body) {}

  private final String caller;
  private final List<UUID> connections;
  private final ExecutorService threads;
  private final List<Answer> answers = new ArrayList<>();
  private volatile boolean running = true;

  private CallerLoad(String caller, List<UUID> connections, int threadCount) {
    this.caller = caller;
    this.connections = List.copyOf(connections);
    this.threads = Executors.newFixedThreadPool(threadCount);
    for (int t = 0; t < threadCount; t++) {
      int offset = t;
      threads.submit(() -> fetchUntilStopped(offset));
    }
  }

  static CallerLoad start(String caller, List<UUID> connections, int threads) {
    return new CallerLoad(caller, connections, threads);
  }

  private void fetchUntilStopped(int offset) {
    String token = CallerTokens.token(caller, "token-consumer");
    for (int i = offset; running; i++) {
      UUID id = connections.get(i % connections.size());
      long started = System.nanoTime();
      Answer answer;
      try {
        Response response =
            given()
                .auth()
                .oauth2(token)
                .contentType("application/json")
                .body("{}")
                .post("/v1/connections/" + id + "/access-token");
        answer =
            new Answer(
                id,
                started,
                Duration.ofNanos(System.nanoTime() - started),
                response.statusCode(),
                response.statusCode() == 200 ? response.path("access_token") : null,
                response.header("X-Request-Id"),
                response.statusCode() == 200 ? null : response.asString());
      } catch (RuntimeException e) {
        answer =
            new Answer(
                id,
                started,
                Duration.ofNanos(System.nanoTime() - started),
                -1,
                null,
                null,
                e.toString());
      }
      record(answer);
    }
  }

  private synchronized void record(Answer answer) {
    answers.add(answer);
    notifyAll();
  }

  /**
   * Waits until every connection has been answered for a request that started after {@code nanos}
   * (a {@link System#nanoTime()} value); fails at the deadline.
   */
  synchronized void awaitEachAnsweredAfter(long nanos, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!eachAnsweredAfter(nanos)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "not every connection was answered within " + timeout + ": " + lastAnswers());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  private boolean eachAnsweredAfter(long nanos) {
    Map<UUID, Boolean> seen = new HashMap<>();
    for (Answer answer : answers) {
      if (answer.startedNanos() > nanos) {
        seen.put(answer.connection(), true);
      }
    }
    return seen.keySet().containsAll(connections);
  }

  private String lastAnswers() {
    return answers.isEmpty() ? "none" : answers.get(answers.size() - 1).toString();
  }

  /** Every answer so far, in the order they came back. */
  synchronized List<Answer> answers() {
    return List.copyOf(answers);
  }

  /** Stops the callers and waits for their last requests to be answered. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    threads.shutdown();
    if (!threads.awaitTermination(60, TimeUnit.SECONDS)) {
      threads.shutdownNow();
      throw new AssertionError("callers did not finish within 60 s");
    }
  }
}
