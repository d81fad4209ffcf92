package io.tokenbroker.authorization;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.tokenbroker.problem.BrokerException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a {@code return_to} may receive the browser after linking (no open redirect, RFC
 * 9700 section 4.11). The value must be an absolute http(s) URL without user info, fragment,
 * backslashes, control characters, percent-encoded separators or dot segments, and must match an
 * allow-list entry exactly by origin, or by path prefix on a segment boundary.
 *
 * <p>Built at startup, so that a bad allow-list entry stops the broker naming {@value #KEY}, rather
 * than failing every authorization that names a {@code return_to}. An entry with a path that does
 * not end with {@code /} is refused rather than normalised: {@code https://app/x} could mean "only
 * this page" or "everything below it", and guessing wider would allow more than the operator meant.
 */
@Startup
@ApplicationScoped
public class ReturnToPolicy {

  static final String KEY = "broker.authorization.return-to-allowed";

  private final List<Allowed> allowed;

  @Inject
  ReturnToPolicy(AuthorizationConfig config) {
    this(config.returnToAllowed().orElse(List.of()));
  }

  ReturnToPolicy(List<String> entries) {
    this.allowed = entries.stream().map(ReturnToPolicy::entry).toList();
  }

  /** The checked URL, or a 400 problem that does not echo the value back. */
  public URI check(String returnTo) {
    URI uri = parse(returnTo);
    if (uri == null) {
      throw BrokerException.invalid(
          "return_to must be an absolute http(s) URL without user info, fragment or encoded"
              + " separators.");
    }
    for (Allowed entry : allowed) {
      if (entry.matches(uri)) {
        return uri;
      }
    }
    throw BrokerException.invalid("return_to is not on the configured allow-list.");
  }

  private static URI parse(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > 2048) {
      return null;
    }
    for (char c : raw.toCharArray()) {
      if (c <= 0x20 || c >= 0x7F || c == '\\') {
        return null;
      }
    }
    String lower = raw.toLowerCase(Locale.ROOT);
    if (lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%2e")
        || lower.contains("%40")
        || lower.contains("%00")
        || lower.contains("%09")
        || lower.contains("%0a")
        || lower.contains("%0d")) {
      return null;
    }
    try {
      URI uri = new URI(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("https") || scheme.equals("http"))
          || uri.getRawAuthority() == null
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || uri.getRawFragment() != null
          || !uri.getRawAuthority().equalsIgnoreCase(authority(uri))) {
        return null;
      }
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      if (path.contains("/../")
          || path.contains("/./")
          || path.endsWith("/..")
          || path.endsWith("/.")
          || path.startsWith("//")) {
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String authority(URI uri) {
    return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  private static Allowed entry(String raw) {
    URI uri = parse(raw.trim());
    if (uri == null) {
      throw new ConfigurationException(
          KEY
              + ": '"
              + raw
              + "' is not an absolute http(s) URL without user info, fragment or encoded"
              + " separators");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    boolean originOnly = path.isEmpty() || (path.equals("/") && !raw.trim().endsWith("/"));
    if (!originOnly && !path.endsWith("/")) {
      throw new ConfigurationException(
          KEY
              + ": '"
              + raw
              + "' must be an origin ('"
              + uri.getScheme()
              + "://"
              + uri.getRawAuthority()
              + "') or a URL prefix ending with '/' ('"
              + raw.trim()
              + "/')");
    }
    return new Allowed(
        uri.getScheme().toLowerCase(Locale.ROOT),
        uri.getHost().toLowerCase(Locale.ROOT),
        effectivePort(uri),
        originOnly ? null : path);
  }

  private static int effectivePort(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private record Allowed(String scheme, String host, int port, String pathPrefix) {
    boolean matches(URI uri) {
      if (!scheme.equals(uri.getScheme().toLowerCase(Locale.ROOT))
          || !host.equals(uri.getHost().toLowerCase(Locale.ROOT))
          || port != effectivePort(uri)) {
        return false;
      }
      if (pathPrefix == null) {
        return true;
      }
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      return path.startsWith(pathPrefix);
    }
  }
}
