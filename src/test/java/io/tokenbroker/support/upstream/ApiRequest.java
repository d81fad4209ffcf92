package io.tokenbroker.support.upstream;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request to a {@code /v5} API endpoint as the stand-in received it. The body is kept only as
 * its size and SHA-256, so that a test can stream a body far larger than memory through it.
 *
 * @param rawPath the path as sent, still percent-encoded
 * @param rawQuery the query as sent, or null
 * @param headers every header, names in lower case
 */
public record ApiRequest(
    String method,
    String rawPath,
    String rawQuery,
    Map<String, List<String>> headers,
    long bodyBytes,
    String bodySha256) {

  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public boolean hasHeader(String name) {
    return headers.containsKey(name.toLowerCase(Locale.ROOT));
  }
}
