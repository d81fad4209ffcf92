package io.tokenbroker.connect;

import java.util.Optional;

/**
 * Whether the page's POST came from the page itself. Browsers send {@code Origin} on every POST;
 * the page's own {@code Referrer-Policy: no-referrer} makes them send {@code Origin: null} (Fetch
 * standard, "append a request Origin header"), so {@code null} is accepted only together with
 * {@code Sec-Fetch-Site: same-origin}, a header that page scripts cannot set. A POST with neither
 * (a script, an old browser) is refused: the page is for browsers.
 */
final class OriginCheck {

  private OriginCheck() {}

  static boolean sameOrigin(Optional<String> publicOrigin, String origin, String fetchSite) {
    if (publicOrigin.isEmpty()) {
      return false;
    }
    if (origin != null && !origin.equals("null")) {
      return origin.equalsIgnoreCase(publicOrigin.get());
    }
    return origin != null && "same-origin".equals(fetchSite);
  }
}
