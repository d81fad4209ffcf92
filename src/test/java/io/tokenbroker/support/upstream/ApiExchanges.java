package io.tokenbroker.support.upstream;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every {@code /v5} API endpoint of the stand-in does around its own logic: read the body as a
 * stream (counted as it arrives, digested, only its start kept) and record the request; stamp the
 * answer with rate-limit headers and any headers a test asked for.
 */
final class ApiExchanges {

  /** Bodies are kept as text up to this size; beyond it only their size and digest. */
  static final int KEPT_BODY = 64 * 1024;

  /** Pinterest's universal limit for a Standard app is 100/s per user; the daily trial is 1000. */
  static final int RATE_LIMIT = 1000;

  private final StandInSettings settings;
  private final StandInJournal journal;
  private final AtomicInteger calls = new AtomicInteger();

  ApiExchanges(StandInSettings settings, StandInJournal journal) {
    this.settings = settings;
    this.journal = journal;
  }

  /** The body's start as text (null when larger than {@link #KEPT_BODY}), after recording. */
  String readAndRecord(HttpExchange exchange) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    long total = 0;
    byte[] chunk = new byte[64 * 1024];
    try (InputStream body = exchange.getRequestBody()) {
      for (int n; (n = body.read(chunk)) > 0; ) {
        sha256.update(chunk, 0, n);
        if (total + n <= KEPT_BODY) {
          kept.write(chunk, 0, n);
        }
        total += n;
        journal.apiBodyBytesArrived(n);
      }
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    journal.recordApi(
        new ApiRequest(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(),
            Map.copyOf(headers),
            total,
            HexFormat.of().formatHex(sha256.digest())));
    return total <= KEPT_BODY ? kept.toString(StandardCharsets.UTF_8) : null;
  }

  /**
   * Rate-limit headers as third parties report v5 sends them (the spec documents none; see
   * shared/reference), and the headers a test added with {@code addApiResponseHeader}.
   */
  void stampAnswer(HttpExchange exchange) {
    int used = calls.incrementAndGet();
    exchange.getResponseHeaders().set("x-ratelimit-limit", Integer.toString(RATE_LIMIT));
    exchange
        .getResponseHeaders()
        .set("x-ratelimit-remaining", Integer.toString(Math.max(0, RATE_LIMIT - used)));
    exchange.getResponseHeaders().set("x-ratelimit-reset", "60");
    settings.extraApiHeaders.forEach(
        (name, value) -> exchange.getResponseHeaders().add(name, value));
  }

  void clear() {
    calls.set(0);
  }
}
