import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Same-run baseline for the refresh benchmark: N refresh_token calls straight to the stand-in with
 * C threads, no broker in between. Run: {@code java bench/DirectCalls.java <token url> <n> <c>}.
 */
public class DirectCalls {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int n = Integer.parseInt(args[1]);
    int c = Integer.parseInt(args[2]);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(c);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String body = "grant_type=refresh_token&refresh_token=rt-direct-" + i;
      pool.submit(() -> {
        try {
          HttpResponse<String> r = client.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) failed.incrementAndGet();
        } catch (Exception e) {
          failed.incrementAndGet();
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.HOURS);
    double s = (System.nanoTime() - start) / 1e9;
    System.out.printf("direct calls=%d threads=%d seconds=%.2f rate_per_s=%.0f failed=%d%n",
        n, c, s, n / s, failed.get());
  }
}
