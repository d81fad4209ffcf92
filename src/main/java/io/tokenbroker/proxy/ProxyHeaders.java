package io.tokenbroker.proxy;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which headers cross the proxy. Towards the provider only a short list of content-negotiation
 * headers is copied (and the broker adds the bearer token): the caller's own credentials, cookies,
 * hop-by-hop headers, {@code X-Forwarded-*} and anything unknown stay behind, so nothing the caller
 * says about itself reaches the provider by accident. Back to the caller everything is copied
 * except hop-by-hop headers and {@code Set-Cookie}, so that the provider's rate-limit headers
 * ({@code x-ratelimit-*}) and request ids pass through.
 */
final class ProxyHeaders {

  /** Copied from the caller's request; Content-Length is set from the body as it is forwarded. */
  private static final Set<String> FORWARDED =
      Set.of(
          "content-type",
          "accept",
          "accept-encoding",
          "accept-language",
          "content-encoding",
          "if-match",
          "if-none-match",
          "if-modified-since",
          "if-unmodified-since");

  /** RFC 9110 section 7.6.1 and the usual non-standard companions. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private ProxyHeaders() {}

  /** The headers of the upstream request, without the bearer token (added per attempt). */
  static MultiMap towardsProvider(MultiMap fromCaller) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    Set<String> named = namedByConnection(fromCaller);
    for (Map.Entry<String, String> header : fromCaller) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (FORWARDED.contains(name) && !named.contains(name)) {
        out.add(header.getKey(), header.getValue());
      }
    }
    return out;
  }

  /** Copies the provider's response headers that may reach the caller. */
  static void towardsCaller(MultiMap fromProvider, MultiMap toCaller) {
    Set<String> named = namedByConnection(fromProvider);
    for (Map.Entry<String, String> header : fromProvider) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && !named.contains(name) && !name.equals("set-cookie")) {
        toCaller.add(header.getKey(), header.getValue());
      }
    }
  }

  /** Headers that the Connection header declares hop-by-hop for this one message. */
  private static Set<String> namedByConnection(MultiMap headers) {
    Set<String> named = new HashSet<>();
    for (String value : headers.getAll("Connection")) {
      for (String token : value.split(",")) {
        named.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    return named;
  }
}
