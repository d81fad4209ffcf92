import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark stand-in for a provider's token endpoint (refresh_token grant only). It answers after a
 * fixed delay and counts what the benchmarks assert on: calls, calls per connection (refresh tokens
 * are {@code rt-<connection id>[~n]}), and the most calls in flight at once.
 *
 * It also answers {@code GET /v5/user_account} at once (proxy benchmark), counted apart.
 *
 * <p>Run: {@code java bench/StandInUpstream.java <port> <delay ms>}. {@code GET /stats} reports,
 * {@code POST /reset} zeroes the counters.
 */
public class StandInUpstream {

  static final AtomicLong calls = new AtomicLong();
  static final AtomicLong apiCalls = new AtomicLong();
  static final AtomicInteger inFlight = new AtomicInteger();
  static final AtomicInteger maxInFlight = new AtomicInteger();
  static final ConcurrentHashMap<String, AtomicInteger> perConnection = new ConcurrentHashMap<>();
  /** Calls answered per second since the first call: a freshly started broker warms up first. */
  static final AtomicIntegerArray perSecond = new AtomicIntegerArray(3600);
  static volatile long firstNanos;
  static volatile long lastNanos;

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    long delayMs = Long.parseLong(args[1]);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    // One thread per waiting call, so the delay models a slow provider and not a small pool.
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/token", ex -> token(ex, delayMs));
    server.createContext("/v5/user_account", StandInUpstream::userAccount);
    server.createContext("/stats", StandInUpstream::stats);
    server.createContext("/reset", ex -> {
      calls.set(0);
      apiCalls.set(0);
      maxInFlight.set(0);
      perConnection.clear();
      for (int i = 0; i < perSecond.length(); i++) {
        perSecond.set(i, 0);
      }
      firstNanos = 0;
      lastNanos = 0;
      reply(ex, 200, "{}");
    });
    server.start();
    System.out.println("stand-in upstream on 127.0.0.1:" + port + ", delay " + delayMs + " ms");
  }

  static void token(HttpExchange ex, long delayMs) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    long n = calls.incrementAndGet();
    if (n == 1) {
      firstNanos = System.nanoTime();
    }
    try {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String refresh = "";
      for (String pair : body.split("&")) {
        if (pair.startsWith("refresh_token=")) {
          refresh = URLDecoder.decode(pair.substring(14), StandardCharsets.UTF_8);
        }
      }
      String connection = refresh.startsWith("rt-") ? refresh.substring(3).split("~")[0] : "?";
      int seen = perConnection.computeIfAbsent(connection, k -> new AtomicInteger()).incrementAndGet();
      Thread.sleep(delayMs);
      reply(ex, 200,
          "{\"access_token\":\"at-" + connection + "-" + n + "\",\"token_type\":\"bearer\","
              + "\"expires_in\":3600,\"refresh_token\":\"rt-" + connection + "~" + seen + "\","
              + "\"scope\":\"read write\"}");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lastNanos = System.nanoTime();
      long second = (lastNanos - firstNanos) / 1_000_000_000L;
      if (second >= 0 && second < perSecond.length()) {
        perSecond.incrementAndGet((int) second);
      }
      inFlight.decrementAndGet();
    }
  }

  /**
   * {@code GET /v5/user_account} for the proxy benchmark: a bearer token the seeder issued ({@code
   * at-<id>}) gets a small account document with Pinterest's rate-limit headers, at once.
   */
  static void userAccount(HttpExchange ex) throws IOException {
    ex.getRequestBody().readAllBytes();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    long n = apiCalls.incrementAndGet();
    ex.getResponseHeaders().set("x-ratelimit-limit", "1000");
    ex.getResponseHeaders().set("x-ratelimit-remaining", "999");
    if (auth == null || !auth.startsWith("Bearer at-")) {
      reply(ex, 401, "{\"code\":2,\"message\":\"Authentication failed.\"}");
      return;
    }
    String id = auth.substring("Bearer at-".length());
    reply(ex, 200,
        "{\"account_type\":\"BUSINESS\",\"id\":\"" + id + "\",\"username\":\"bench-" + n
            + "\",\"board_count\":0,\"pin_count\":0,\"follower_count\":0}");
  }

  static void stats(HttpExchange ex) throws IOException {
    long twice = perConnection.values().stream().filter(c -> c.get() > 1).count();
    double spanS = lastNanos > firstNanos ? (lastNanos - firstNanos) / 1e9 : 0;
    int window = Math.max(1, Math.min(10, (int) spanS));
    int busiest = 0;
    for (int i = 0; i + window <= Math.min(perSecond.length(), (int) spanS + 1); i++) {
      int sum = 0;
      for (int j = i; j < i + window; j++) {
        sum += perSecond.get(j);
      }
      busiest = Math.max(busiest, sum);
    }
    reply(ex, 200,
        "{\"calls\":" + calls.get() + ",\"api_calls\":" + apiCalls.get()
            + ",\"connections\":" + perConnection.size()
            + ",\"connections_refreshed_more_than_once\":" + twice
            + ",\"max_in_flight\":" + maxInFlight.get()
            + ",\"first_to_last_call_s\":" + String.format("%.3f", spanS)
            + ",\"busiest_10s_per_s\":" + busiest / window + "}");
  }

  static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
