package io.tokenbroker.support.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A team's webhook endpoint, as a real HTTP server: it checks every request against the Standard
 * Webhooks specification with its own code (not the broker's), records what arrived, and answers as
 * a test scripts it (a status, or no answer at all until released).
 */
public final class WebhookReceiver implements AutoCloseable {

  /** What one request carried, and whether its signature and timestamp checked out. */
  public record Received(
      String id, String timestamp, String signature, String body, boolean verified, Instant at) {}

  /** One scripted answer: a status, or (status 0) holding the request until {@link #close}. */
  public record Answer(int status, boolean hang) {
    public static Answer status(int status) {
      return new Answer(status, false);
    }

    public static Answer noAnswer() {
      return new Answer(0, true);
    }
  }

  private static final Duration TOLERANCE = Duration.ofMinutes(5);

  private final String secret;
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile Duration delay = Duration.ZERO;

  private WebhookReceiver(String secret) throws IOException {
    this.secret = secret;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    // One thread per request: a receiver that queued requests would itself cause timeouts.
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/hooks", this::handle);
    server.start();
  }

  /** A receiver with a new random secret. */
  public static WebhookReceiver start() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return start("whsec_" + Base64.getEncoder().encodeToString(key));
  }

  /** A receiver that verifies with {@code secret} (e.g. the one a test stored in Vault). */
  public static WebhookReceiver start(String secret) {
    try {
      return new WebhookReceiver(secret);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
  }

  /** The signing secret the broker is configured with (and this receiver verifies with). */
  public String secret() {
    return secret;
  }

  /** Answers for the next requests, one each; afterwards requests get 204. */
  public void script(Answer... answers) {
    script.addAll(List.of(answers));
  }

  /** How long each answer takes (a slow receiver); {@link Duration#ZERO} by default. */
  public void answerAfter(Duration delay) {
    this.delay = delay;
  }

  public void reset() {
    received.clear();
    script.clear();
    delay = Duration.ZERO;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public List<Received> received(Predicate<Received> which) {
    List<Received> matching = new ArrayList<>();
    for (Received r : received) {
      if (which.test(r)) {
        matching.add(r);
      }
    }
    return matching;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String id = exchange.getRequestHeaders().getFirst("webhook-id");
      String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
      String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
      received.add(
          new Received(
              id,
              timestamp,
              signature,
              body,
              verify(id, timestamp, signature, body),
              Instant.now()));
      Answer answer = script.poll();
      if (answer != null && answer.hang()) {
        released.await(60, TimeUnit.SECONDS);
        return;
      }
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      exchange.sendResponseHeaders(answer == null ? 204 : answer.status(), -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The receiver's side of the specification: all three headers present, the timestamp within five
   * minutes, and one of the space-separated {@code v1,<base64>} entries equal (compared in constant
   * time) to HMAC-SHA256 keyed with the base64-decoded part of {@code whsec_...}, over {@code
   * id.timestamp.body}.
   */
  boolean verify(String id, String timestamp, String header, String body) {
    if (id == null || timestamp == null || header == null) {
      return false;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(Instant.now().getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
      return false;
    }
    byte[] expected;
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(
          new SecretKeySpec(Base64.getDecoder().decode(secret.split("_", 2)[1]), "HmacSHA256"));
      expected = hmac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
    for (String entry : header.split(" ")) {
      int comma = entry.indexOf(',');
      if (comma > 0 && entry.substring(0, comma).equals("v1")) {
        byte[] given;
        try {
          given = Base64.getDecoder().decode(entry.substring(comma + 1));
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (MessageDigest.isEqual(expected, given)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
  }
}
