package io.tokenbroker.support.upstream;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The 19 OAuth scopes of Pinterest API v5 (OpenAPI spec 5.23.0) and their two wire forms. */
public final class PinterestScopes {

  /** Every scope Pinterest v5 knows; anything else is refused by the stand-in. */
  public static final Set<String> ALL =
      Set.of(
          "ads:read",
          "ads:write",
          "billing:read",
          "billing:write",
          "biz_access:read",
          "biz_access:write",
          "boards:read",
          "boards:read_secret",
          "boards:write",
          "boards:write_secret",
          "catalogs:read",
          "catalogs:write",
          "msot:write",
          "pins:read",
          "pins:read_secret",
          "pins:write",
          "pins:write_secret",
          "user_accounts:read",
          "user_accounts:write");

  private PinterestScopes() {}

  /**
   * Parses a request's {@code scope} parameter, which Pinterest documents as comma-separated. Blank
   * entries and surrounding whitespace are not tolerated: a space-separated list comes back as one
   * entry, which is then unknown, so a client using the wrong separator is caught.
   */
  static List<String> parseRequested(String commaSeparated) {
    return List.of(commaSeparated.split(",", -1));
  }

  /** The entries that are not Pinterest v5 scopes (empty when all are known). */
  static Set<String> unknown(List<String> requested) {
    Set<String> unknown = new LinkedHashSet<>();
    for (String scope : requested) {
      if (!ALL.contains(scope)) {
        unknown.add(scope);
      }
    }
    return unknown;
  }

  /** The response form: space-separated, in a stable (sorted) order like Pinterest's samples. */
  static String toResponse(Set<String> scopes) {
    return String.join(" ", new TreeSet<>(scopes));
  }
}
