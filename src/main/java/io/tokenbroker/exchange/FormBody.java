package io.tokenbroker.exchange;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A token request body read by the rules of RFC 6749: {@code application/x-www-form-urlencoded} in
 * UTF-8 (appendix B), a parameter sent without a value counts as omitted, and a parameter defined
 * once may not be sent twice (section 3.2). Parameters it does not know are ignored, as section 3.2
 * requires.
 */
final class FormBody {

  static final String MEDIA_TYPE = "application/x-www-form-urlencoded";

  private final Map<String, List<String>> values;

  private FormBody(Map<String, List<String>> values) {
    this.values = values;
  }

  static FormBody parse(String contentType, String body) {
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).trim().startsWith(MEDIA_TYPE)) {
      throw OAuthError.invalidRequest("Send the parameters as " + MEDIA_TYPE + ".");
    }
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (body != null) {
      for (String pair : body.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (!value.isEmpty()) {
          values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
      }
    }
    return new FormBody(values);
  }

  /** The one value of {@code name}; refused when it was sent more than once. */
  Optional<String> single(String name) {
    List<String> sent = values.getOrDefault(name, List.of());
    if (sent.size() > 1) {
      throw OAuthError.invalidRequest("The parameter '" + name + "' is included more than once.");
    }
    return sent.stream().findFirst();
  }

  /** Every value of a parameter that may be repeated ({@code resource}, {@code audience}). */
  List<String> all(String name) {
    return List.copyOf(values.getOrDefault(name, List.of()));
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  private static String decode(String raw) {
    String decoded;
    try {
      decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw OAuthError.invalidRequest("The body is not valid " + MEDIA_TYPE + ".");
    }
    // The JDK decoder replaces bytes that are not UTF-8; a strict reader refuses them instead.
    if (decoded.indexOf('\uFFFD') >= 0) {
      throw OAuthError.invalidRequest("The body is not UTF-8.");
    }
    return decoded;
  }
}
