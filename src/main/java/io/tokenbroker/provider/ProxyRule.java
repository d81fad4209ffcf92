package io.tokenbroker.provider;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One entry of a provider's proxy allow-list: a method ({@code *} for any) and a path prefix
 * relative to the API base URL. A prefix matches whole segments: {@code /boards} allows {@code
 * /boards} and {@code /boards/123}, not {@code /boardsx}.
 */
public record ProxyRule(String method, String pathPrefix) {

  private static final Set<String> METHODS =
      Set.of("*", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  /** True when the rule allows {@code method} on {@code path} (which starts with a slash). */
  public boolean matches(String method, String path) {
    if (!this.method.equals("*") && !this.method.equals(method)) {
      return false;
    }
    if (pathPrefix.equals("/") || path.equals(pathPrefix)) {
      return true;
    }
    String prefix = pathPrefix.endsWith("/") ? pathPrefix : pathPrefix + "/";
    return path.startsWith(prefix);
  }

  static List<ProxyRule> parseAll(String key, List<String> entries) {
    return entries.stream().map(String::trim).map(entry -> parse(key, entry)).toList();
  }

  private static ProxyRule parse(String key, String entry) {
    String[] parts = entry.split("\\s+");
    if (parts.length != 2) {
      throw new ConfigurationException(
          key + ": '" + entry + "' is not 'METHOD /path-prefix' (e.g. 'GET /boards')");
    }
    String method = parts[0].toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new ConfigurationException(
          key + ": '" + parts[0] + "' is not one of " + METHODS.stream().sorted().toList());
    }
    String prefix = parts[1];
    if (!prefix.startsWith("/")
        || prefix.contains("//")
        || prefix.contains("..")
        || prefix.contains("%")
        || prefix.contains("?")) {
      throw new ConfigurationException(
          key + ": '" + prefix + "' must be a plain path starting with '/'");
    }
    return new ProxyRule(method, prefix);
  }
}
