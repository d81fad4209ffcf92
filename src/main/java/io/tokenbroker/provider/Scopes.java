package io.tokenbroker.provider;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Scope sets in their one normalised form: sorted, de-duplicated, single-space separated when
 * stored. Parsing accepts both spaces and commas because providers answer with either (Pinterest
 * asks for commas and answers with spaces).
 */
public final class Scopes {

  /** RFC 6749 scope-token characters, minus the comma that Pinterest uses as a separator. */
  private static final String TOKEN = "[\\x21\\x23-\\x2B\\x2D-\\x5B\\x5D-\\x7E]+";

  private Scopes() {}

  public static Set<String> parse(String raw) {
    if (raw == null || raw.isBlank()) {
      return new TreeSet<>();
    }
    return Arrays.stream(raw.split("[\\s,]+"))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  public static Set<String> of(Collection<String> scopes) {
    return new TreeSet<>(scopes);
  }

  public static String format(Collection<String> scopes) {
    return String.join(" ", new TreeSet<>(scopes));
  }

  /** True when the value is one scope token: no separators, no control characters. */
  public static boolean isValidToken(String scope) {
    return scope != null && scope.length() <= 256 && scope.matches(TOKEN);
  }
}
