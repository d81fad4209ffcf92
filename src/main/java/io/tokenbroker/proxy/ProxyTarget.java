package io.tokenbroker.proxy;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a proxied request goes: the caller's path (as it arrived, still percent-encoded) joined to
 * the provider's API base URL. Anything that could make the joined URL leave the base, or mean one
 * thing to the broker and another to the provider, is refused before any upstream call: dot
 * segments (raw or encoded), encoded slashes and backslashes, empty segments, schemes, user info,
 * and malformed escapes. Refusals answer 400 {@code invalid_request} and never echo the path.
 */
final class ProxyTarget {

  /** Unreserved, sub-delims, ':' and '@' as RFC 3986 allows in a segment, and escapes. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:@%]+");

  private static final Pattern QUERY = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:@%/?]*");
  private static final Pattern ESCAPE = Pattern.compile("%[0-9A-Fa-f]{2}");

  /** An encoded control character, %00 to %1F (lower case: matched against the lowered text). */
  private static final Pattern ENCODED_CONTROL = Pattern.compile("%[01][0-9a-f]");

  private ProxyTarget() {}

  /**
   * Checks the path without knowing the provider, so that a bad path is refused before the
   * connection is looked up or its token refreshed.
   *
   * @param rawPath the part after {@code /proxy/}, percent-encoded as received
   * @return the path relative to the API base, with a leading slash
   */
  static String checkPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      throw refused("Name the API path after /proxy/, e.g. /proxy/user_account.");
    }
    String[] segments = rawPath.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.isEmpty()) {
        if (i == segments.length - 1 && i > 0) {
          continue; // a trailing slash stays under the base
        }
        throw refused("Empty path segments are not forwarded.");
      }
      if (!SEGMENT.matcher(segment).matches() || !escapesWellFormed(segment)) {
        throw refused("The path contains characters that are not forwarded.");
      }
      String lower = segment.toLowerCase(Locale.ROOT);
      if (lower.contains("%2f") || lower.contains("%5c")) {
        throw refused("Encoded slashes and backslashes are not forwarded.");
      }
      if (segment.contains("@") || lower.contains("%40")) {
        throw refused("'@' is not forwarded in the path.");
      }
      if (i == 0 && segment.contains(":")) {
        throw refused("Absolute URLs are not forwarded; name a path under the API base URL.");
      }
      if (isDotSegment(lower)) {
        throw refused("Dot segments ('.' and '..', also percent-encoded) are not forwarded.");
      }
      if (lower.contains("%7f") || ENCODED_CONTROL.matcher(lower).find()) {
        throw refused("Encoded control characters are not forwarded.");
      }
    }
    return "/" + rawPath;
  }

  /**
   * The upstream URL: {@code base} (ending in '/') plus the checked path and the raw query. Proven
   * to stay under the base after normalisation, as a last line behind {@link #checkPath}.
   */
  static URI resolve(URI base, String checkedPath, String rawQuery) {
    if (rawQuery != null && (!QUERY.matcher(rawQuery).matches() || !escapesWellFormed(rawQuery))) {
      throw refused("The query string contains characters that are not forwarded.");
    }
    String baseText = base.toString();
    String joined =
        baseText
            + checkedPath.substring(1)
            + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
    URI target;
    try {
      target = new URI(joined);
    } catch (URISyntaxException e) {
      throw refused("The path or query cannot be forwarded.");
    }
    URI normalized = target.normalize();
    if (!normalized.equals(target)
        || !sameOrigin(base, target)
        || target.getRawUserInfo() != null
        || !target.getRawPath().startsWith(base.getRawPath())) {
      throw refused("The path would leave the provider's API base URL.");
    }
    return target;
  }

  private static boolean sameOrigin(URI base, URI target) {
    return base.getScheme().equalsIgnoreCase(target.getScheme())
        && base.getHost().equalsIgnoreCase(String.valueOf(target.getHost()))
        && base.getPort() == target.getPort();
  }

  private static boolean isDotSegment(String lowerSegment) {
    String decodedDots = lowerSegment.replace("%2e", ".");
    return decodedDots.equals(".") || decodedDots.equals("..");
  }

  private static boolean escapesWellFormed(String text) {
    int percents = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '%') {
        percents++;
      }
    }
    return percents == 0 || ESCAPE.matcher(text).results().count() == percents;
  }

  private static BrokerException refused(String detail) {
    return new BrokerException(ProblemCode.INVALID_REQUEST, detail);
  }
}
