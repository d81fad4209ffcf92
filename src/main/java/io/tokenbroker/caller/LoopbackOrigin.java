package io.tokenbroker.caller;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a request's {@code Host} and {@code Origin} name this machine's broker. Used by {@link
 * DevCallerTokenRoute} against DNS rebinding and cross-site requests: only the three loopback names
 * with the broker's own port count, compared exactly, never resolved.
 */
final class LoopbackOrigin {

  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
  private static final int HTTP_DEFAULT_PORT = 80;

  private LoopbackOrigin() {}

  /** {@code host} is a Host header value: {@code name[:port]}, the port defaulting to 80. */
  static boolean isLoopbackHost(String host, int brokerPort) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String name = host;
    int port = HTTP_DEFAULT_PORT;
    int colon = host.lastIndexOf(':');
    if (colon > host.lastIndexOf(']')) {
      name = host.substring(0, colon);
      String digits = host.substring(colon + 1);
      if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
        return false;
      }
      port = Integer.parseInt(digits);
    }
    return port == brokerPort && LOOPBACK_HOSTS.contains(name.toLowerCase(Locale.ROOT));
  }

  /**
   * No {@code Origin} (curl, scripts: not a browser page), or {@code http://} one of the loopback
   * names with the broker's port. {@code null} (sandboxed frames, redirects) counts as foreign.
   */
  static boolean isAbsentOrLoopback(String origin, int brokerPort) {
    if (origin == null) {
      return true;
    }
    try {
      URI uri = new URI(origin);
      if (!"http".equalsIgnoreCase(uri.getScheme())
          || uri.getRawUserInfo() != null
          || uri.getHost() == null
          || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return false;
      }
      int port = uri.getPort() == -1 ? HTTP_DEFAULT_PORT : uri.getPort();
      return port == brokerPort && LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
