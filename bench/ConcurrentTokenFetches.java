import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Fires N concurrent token fetches for one connection and prints the status codes. Run: {@code
 * java bench/ConcurrentTokenFetches.java <broker url> <caller jwt> <connection id> <n>}.
 */
public class ConcurrentTokenFetches {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    String jwt = args[1];
    String id = args[2];
    int n = Integer.parseInt(args[3]);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/v1/connections/" + id + "/access-token"))
            .header("Authorization", "Bearer " + jwt)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      all.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
          return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }, java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
      })));
    }
    go.countDown();
    Map<String, Integer> statuses = new TreeMap<>();
    java.util.Set<String> tokens = new java.util.HashSet<>();
    for (CompletableFuture<HttpResponse<String>> f : all) {
      try {
        HttpResponse<String> r = f.join();
        statuses.merge(String.valueOf(r.statusCode()), 1, Integer::sum);
        if (r.statusCode() == 200) {
          tokens.add(r.body().replaceAll(".*\"access_token\":\"([^\"]*)\".*", "$1"));
        }
      } catch (Exception e) {
        statuses.merge(e.getCause() == null ? e.toString() : e.getCause().toString(), 1, Integer::sum);
      }
    }
    System.out.printf("requests=%d statuses=%s distinct_tokens_served=%d wall_ms=%d%n",
        n, statuses, tokens.size(), (System.nanoTime() - start) / 1_000_000);
  }
}
